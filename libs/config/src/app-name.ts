export const APP_NAMES = ['ingest', 'feature', 'recommender'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Default HTTP ports, so the three apps can run side by side on one machine. */
export const DEFAULT_PORTS: Readonly<Record<AppName, number>> = {
  ingest: 3001,
  feature: 3002,
  recommender: 3003,
};

/**
 * Variables without a default that each app refuses to boot without. docker-compose.yml is
 * checked against this list so the stack and the code cannot drift apart.
 */
export const REQUIRED_ENV: Readonly<Record<AppName, readonly string[]>> = {
  ingest: ['KAFKA_BROKERS'],
  feature: ['KAFKA_BROKERS', 'MONGODB_URI'],
  recommender: ['KAFKA_BROKERS', 'MONGODB_URI'],
};
