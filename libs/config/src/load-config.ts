import 'reflect-metadata';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type ApiKeyConfig, parseApiKeys } from './api-keys';
import { type AppName, DEFAULT_PORTS, REQUIRED_ENV } from './app-name';
import { ENVIRONMENT_VARIABLES } from './environment-variables';
import { EnvironmentSchema } from './environment.schema';
import { type KairosConfig } from './kairos-config';
import { parseCorsOrigins } from './web-access';

export interface ConfigProblem {
  readonly variable: string;
  readonly reason: string;
}

export class ConfigValidationError extends Error {
  constructor(
    readonly app: AppName,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${app}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment once, at boot, into a typed object. Empty strings count as unset
 * so `FOO=` in an env file means "use the default", as it does for most tools.
 */
export function loadConfig(app: AppName, env: Environment = process.env): KairosConfig {
  const present = Object.fromEntries(
    Object.keys(ENVIRONMENT_VARIABLES)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const problems: ConfigProblem[] = REQUIRED_ENV[app]
    .filter((variable) => present[variable] === undefined)
    .map((variable) => ({ variable, reason: `is required by ${app} and not set` }));

  const parsed = plainToInstance(EnvironmentSchema, present);
  for (const error of validateSync(parsed, { forbidUnknownValues: false })) {
    problems.push({
      variable: error.property,
      reason: Object.values(error.constraints ?? {}).join('; ') || 'is invalid',
    });
  }
  const authEnabled = parsed.KAIROS_AUTH !== 'off';
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
    nodeEnv: parsed.NODE_ENV ?? 'development',
    port: parsed.PORT ?? DEFAULT_PORTS[app],
    logLevel: parsed.LOG_LEVEL ?? 'info',
    instanceId: parsed.KAIROS_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    kafka: {
      brokers,
      clientId: parsed.KAFKA_CLIENT_ID ?? `kairos-${app}`,
      topicPrefix: parsed.KAFKA_TOPIC_PREFIX ?? '',
      topicPartitions: parsed.KAFKA_TOPIC_PARTITIONS ?? 12,
      replicationFactor: parsed.KAFKA_REPLICATION_FACTOR ?? 1,
      acks: parseAcks(parsed.KAFKA_ACKS ?? 'all'),
      compression: parsed.KAFKA_COMPRESSION ?? 'lz4',
      sessionTimeoutMs: parsed.KAFKA_SESSION_TIMEOUT_MS ?? 30_000,
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
    mongo: parsed.MONGODB_URI === undefined ? null : { uri: parsed.MONGODB_URI },
    models: {
      modelDir: resolve(parsed.MODEL_DIR ?? 'models'),
      pollIntervalMs: parsed.MODEL_POLL_INTERVAL_MS ?? 2_000,
      smokeTimeoutMs: parsed.MODEL_SMOKE_TIMEOUT_MS ?? 5_000,
      maxItems: parsed.MODEL_MAX_ITEMS ?? 5_000_000,
      maxDimension: parsed.MODEL_MAX_DIMENSION ?? 1_024,
      intraOpNumThreads: parsed.MODEL_INTRA_OP_THREADS ?? 0,
    },
  };
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
