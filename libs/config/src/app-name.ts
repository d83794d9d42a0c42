/** The three deployables of the distributed mode. */
export const SERVICE_NAMES = ['ingest', 'feature', 'recommender'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What can be booted: one service, or `embedded`, the three composed in one process. */
export const APP_NAMES = [...SERVICE_NAMES, 'embedded'] as const;
export type AppName = (typeof APP_NAMES)[number];

/**
 * Where the event log and the state live. `distributed`: Kafka and MongoDB. `embedded`: the
 * durable in-process log and in-memory stores snapshotted to KAIROS_DATA_DIR; only the
 * `embedded` app can run it (an in-process log cannot be shared between processes).
 */
export const RUNTIME_MODES = ['embedded', 'distributed'] as const;
export type RuntimeMode = (typeof RUNTIME_MODES)[number];

/** Default HTTP ports, so the three apps can run side by side on one machine. */
export const DEFAULT_PORTS: Readonly<Record<AppName, number>> = {
  ingest: 3001,
  feature: 3002,
  recommender: 3003,
  embedded: 3000,
};

/**
 * Variables without a default that each service refuses to boot without in distributed mode
 * (the embedded mode needs none). docker-compose.yml is checked against this list so the stack
 * and the code cannot drift apart.
 */
export const REQUIRED_ENV: Readonly<Record<ServiceName, readonly string[]>> = {
  ingest: ['KAFKA_BROKERS'],
  feature: ['KAFKA_BROKERS', 'MONGODB_URI'],
  recommender: ['KAFKA_BROKERS', 'MONGODB_URI'],
};
