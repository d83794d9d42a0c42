import 'reflect-metadata';
import { resolve } from 'node:path';
import { type ApiKeyConfig, parseApiKeys } from './api-keys';
import {
  type AppName,
  DEFAULT_PORTS,
  REQUIRED_ENV,
  type RuntimeMode,
  SERVICE_NAMES,
} from './app-name';
import { type Environment, instanceIdOf, logFormatOf, parseEnvironment } from './environment';
import { ConfigValidationError } from './config-validation.error';
import { type KairosConfig } from './kairos-config';
import { telemetryConfigOf } from './telemetry-config';
import { parseCorsOrigins } from './web-access';

/**
 * V8 heap growth per full collection, in percent; 0 keeps V8's own rule. At 30 a recommender
 * with 100,000 users held 437-473 MiB RSS right after catching up (median 456 over five runs)
 * and peaked near 555 MiB; with V8's rule, before the user-vector checkpoint was written in
 * chunks, 660-800 and 845-920 against 477-554 and about 600 at 30, for about 15% less CPU
 * while catching up. Ingest keeps V8's rule: its live heap is small, and at 30 its throughput
 * at 10% trace sampling fell to 0.75x of tracing off (0.97x with V8's rule), the queued spans
 * filling the old generation between exports (bench/recommender/README.md,
 * bench/telemetry/README.md).
 */
const DEFAULT_HEAP_GROWTH_PERCENT: Readonly<Record<AppName, number>> = {
  ingest: 0,
  feature: 0,
  recommender: 30,
  embedded: 0,
};

/**
 * Validates the environment once, at boot, into a typed object. Empty strings count as unset
 * so `FOO=` in an env file means "use the default", as it does for most tools.
 */
export function loadConfig(app: AppName, env: Environment = process.env): KairosConfig {
  const { parsed, problems } = parseEnvironment(env);
  const mode = parsed.KAIROS_MODE ?? (app === 'embedded' ? 'embedded' : 'distributed');
  problems.unshift(
    ...requiredVariables(app, mode)
      .filter((variable) => env[variable] === undefined || env[variable]?.trim() === '')
      .map((variable) => ({
        variable,
        reason: `is required by ${app} in ${mode} mode and not set`,
      })),
  );
  if (mode === 'embedded' && app !== 'embedded') {
    problems.push({
      variable: 'KAIROS_MODE',
      reason: `embedded runs the three apps in one process (npm start); ${app} alone needs distributed`,
    });
  }
  // Embedded mode is for trying Kairos locally: without keys it starts open (logged loudly).
  const authDefault = mode === 'embedded' && parsed.KAIROS_API_KEYS === undefined ? 'off' : 'on';
  const authEnabled = (parsed.KAIROS_AUTH ?? authDefault) !== 'off';
  let apiKeys: ApiKeyConfig[] = [];
  if (parsed.KAIROS_API_KEYS !== undefined) {
    const keys = parseApiKeys(parsed.KAIROS_API_KEYS);
    if (typeof keys === 'string') problems.push({ variable: 'KAIROS_API_KEYS', reason: keys });
    else apiKeys = keys;
  } else if (authEnabled) {
    problems.push({
      variable: 'KAIROS_API_KEYS',
      reason: 'is required while auth is on; set it, or KAIROS_AUTH=off for local use only',
    });
  }
  // The page writes events and reads any user's list without a key: never next to real keys.
  if (parsed.KAIROS_DEMO === 'on' && authEnabled) {
    problems.push({
      variable: 'KAIROS_DEMO',
      reason:
        'the demo page sends events without an API key and needs KAIROS_AUTH=off; unset KAIROS_DEMO (or set it to off) while auth is on',
    });
  }
  const corsOrigins = parseCorsOrigins(parsed.KAIROS_CORS_ORIGINS);
  if (typeof corsOrigins === 'string') {
    problems.push({ variable: 'KAIROS_CORS_ORIGINS', reason: corsOrigins });
  }
  if (problems.length > 0 || typeof corsOrigins === 'string') {
    throw new ConfigValidationError(app, problems);
  }
  const rateLimitPerSecond = parsed.KAIROS_RATE_LIMIT_PER_SECOND ?? 1_000;

  const brokers = (parsed.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  return {
    app,
    mode,
    embedded: {
      dataDir: resolve(parsed.KAIROS_DATA_DIR ?? 'data'),
      fsyncIntervalMs: parsed.KAIROS_FSYNC_INTERVAL_MS ?? 1_000,
      snapshotIntervalMs: parsed.KAIROS_SNAPSHOT_INTERVAL_MS ?? 10_000,
      demoCatalog:
        parsed.KAIROS_DEMO_CATALOG === 'none'
          ? null
          : resolve(parsed.KAIROS_DEMO_CATALOG ?? 'demo/catalog.jsonl'),
    },
    nodeEnv: parsed.NODE_ENV ?? 'development',
    port: parsed.PORT ?? DEFAULT_PORTS[app],
    logLevel: parsed.LOG_LEVEL ?? 'info',
    logFormat: logFormatOf(parsed),
    instanceId: instanceIdOf(parsed),
    shutdownTimeoutMs: parsed.KAIROS_SHUTDOWN_TIMEOUT_MS ?? 25_000,
    heapGrowthPercent: parsed.KAIROS_HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT[app],
    telemetry: telemetryConfigOf(app, parsed),
    kafka: {
      brokers,
      clientId: parsed.KAFKA_CLIENT_ID ?? `kairos-${app}`,
      topicPrefix: parsed.KAFKA_TOPIC_PREFIX ?? '',
      topicPartitions: parsed.KAFKA_TOPIC_PARTITIONS ?? 12,
      replicationFactor: parsed.KAFKA_REPLICATION_FACTOR ?? 1,
      acks: parseAcks(parsed.KAFKA_ACKS ?? 'all'),
      compression: parsed.KAFKA_COMPRESSION ?? 'lz4',
      sessionTimeoutMs: parsed.KAFKA_SESSION_TIMEOUT_MS ?? 30_000,
      consumerConcurrency: parsed.KAFKA_CONSUMER_CONCURRENCY ?? 12,
      maxRecordsPerCall: parsed.KAFKA_MAX_RECORDS_PER_CALL ?? 500,
      fetchMinBytes: parsed.KAFKA_FETCH_MIN_BYTES ?? 1,
      fetchMaxWaitMs: parsed.KAFKA_FETCH_MAX_WAIT_MS ?? 5_000,
      commitIntervalMs: parsed.KAFKA_COMMIT_INTERVAL_MS ?? 0,
      topicSetupTimeoutMs: parsed.KAFKA_TOPIC_SETUP_TIMEOUT_MS ?? 60_000,
    },
    http: {
      authEnabled,
      apiKeys,
      rateLimitPerSecond,
      rateLimitBurst: parsed.KAIROS_RATE_LIMIT_BURST ?? rateLimitPerSecond * 2,
      corsOrigins,
    },
    ingest: {
      maxEventAgeMs: parsed.INGEST_MAX_EVENT_AGE_MS ?? 7 * 24 * 3_600_000,
      maxInFlight: parsed.INGEST_MAX_IN_FLIGHT ?? 20_000,
      produceTimeoutMs: parsed.INGEST_PRODUCE_TIMEOUT_MS ?? 5_000,
    },
    sessions: {
      inactivityGapMs: parsed.SESSION_INACTIVITY_GAP_MS ?? 30 * 60_000,
      maxDurationMs: parsed.SESSION_MAX_DURATION_MS ?? 4 * 3_600_000,
      maxWindowEvents: parsed.SESSION_MAX_EVENTS ?? 50,
      allowedLatenessMs: parsed.SESSION_ALLOWED_LATENESS_MS ?? 10 * 60_000,
      retentionMs: parsed.SESSION_RETENTION_MS ?? 30 * 24 * 3_600_000,
    },
    mongo:
      parsed.MONGODB_URI === undefined
        ? null
        : {
            uri: parsed.MONGODB_URI,
            operationTimeoutMs: parsed.MONGODB_OPERATION_TIMEOUT_MS ?? 30_000,
          },
    models: {
      modelDir: resolve(parsed.MODEL_DIR ?? 'models'),
      pollIntervalMs: parsed.MODEL_POLL_INTERVAL_MS ?? 2_000,
      smokeTimeoutMs: parsed.MODEL_SMOKE_TIMEOUT_MS ?? 5_000,
      maxItems: parsed.MODEL_MAX_ITEMS ?? 5_000_000,
      maxDimension: parsed.MODEL_MAX_DIMENSION ?? 1_024,
      intraOpNumThreads: parsed.MODEL_INTRA_OP_THREADS ?? 0,
    },
    recommender: {
      embeddingCheckpointMs: parsed.EMBEDDING_CHECKPOINT_INTERVAL_MS ?? 5_000,
      cachedListItems: parsed.RECOMMENDATION_CACHE_ITEMS ?? 32,
    },
    demo: {
      enabled: (parsed.KAIROS_DEMO ?? (authEnabled ? 'off' : 'on')) === 'on',
      ingestUrl: parsed.KAIROS_DEMO_INGEST_URL?.replace(/\/$/, '') ?? null,
    },
  };
}

/** The composed app needs what its parts need; the embedded mode needs nothing external. */
function requiredVariables(app: AppName, mode: RuntimeMode): readonly string[] {
  if (mode === 'embedded') return [];
  if (app !== 'embedded') return REQUIRED_ENV[app];
  return [...new Set(SERVICE_NAMES.flatMap((service) => REQUIRED_ENV[service]))];
}

function parseAcks(acks: 'all' | '1' | '0'): -1 | 0 | 1 {
  switch (acks) {
    case 'all':
      return -1;
    case '1':
      return 1;
    case '0':
      return 0;
  }
}
