import { type AppName, type RuntimeMode } from './app-name';
import { type ApiKeyConfig } from './api-keys';
import { type TelemetryConfig } from './telemetry-config';
import { type KAFKA_COMPRESSIONS, type LOG_LEVELS, type NODE_ENVS } from './environment.schema';

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topicPrefix: string;
  /** Partitions for topics the app creates; consumers scale out up to this count. */
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  /** -1 = all in-sync replicas, the only setting under which an acknowledged write survives a broker loss. */
  readonly acks: -1 | 0 | 1;
  readonly compression: (typeof KAFKA_COMPRESSIONS)[number];
  readonly sessionTimeoutMs: number;
  /** Partition batches a consumer processes at once; order within a partition always holds. */
  readonly consumerConcurrency: number;
  /**
   * Most records one handler call receives; a larger partition batch (a consumer catching up)
   * is handed over in steps, each handed to the committer before the next.
   */
  readonly maxRecordsPerCall: number;
  /**
   * What a consumer fetch waits for: at least `fetchMinBytes`, for at most `fetchMaxWaitMs`.
   * The defaults (1 byte, 5 s) answer as soon as one record is there.
   */
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  /**
   * 0 (default): every handled step is committed before the next. Above 0: handled offsets are
   * committed together at most this often (a crash replays at most this much; consumers dedupe).
   */
  readonly commitIntervalMs: number;
  /**
   * Budget for creating topics and seeing a leader on every partition at boot; a fresh topic
   * briefly answers "does not host this topic-partition" or is mid leader election.
   */
  readonly topicSetupTimeoutMs: number;
}

export interface HttpConfig {
  /** False only with KAIROS_AUTH=off. */
  readonly authEnabled: boolean;
  readonly apiKeys: readonly ApiKeyConfig[];
  readonly rateLimitPerSecond: number;
  readonly rateLimitBurst: number;
  /** Empty = CORS disabled; ['*'] = any origin. */
  readonly corsOrigins: readonly string[];
}

export interface DemoConfig {
  /** The demo page and its endpoints exist only while auth is off. */
  readonly enabled: boolean;
  /** Origin the page POSTs events to; null = the page's own origin (embedded mode). */
  readonly ingestUrl: string | null;
}

export interface SessionConfig {
  readonly inactivityGapMs: number;
  readonly maxDurationMs: number;
  readonly maxWindowEvents: number;
  readonly allowedLatenessMs: number;
  readonly retentionMs: number;
}

export interface IngestConfig {
  readonly maxEventAgeMs: number;
  /** Bound on events awaiting broker acknowledgement; beyond it requests get 503. */
  readonly maxInFlight: number;
  readonly produceTimeoutMs: number;
}

export interface MongoConfig {
  readonly uri: string;
  /** Bound of one operation, retries included (the driver's timeoutMS). */
  readonly operationTimeoutMs: number;
}

export interface ModelConfig {
  /** Absolute path of the drop-in model directory. */
  readonly modelDir: string;
  readonly pollIntervalMs: number;
  readonly smokeTimeoutMs: number;
  readonly maxItems: number;
  readonly maxDimension: number;
  /** 0 = onnxruntime's default (one thread per core). */
  readonly intraOpNumThreads: number;
}

export interface RecommenderConfig {
  /**
   * How often learned item rows and user vectors are written to MongoDB and `item-embeddings`;
   * 0 = with every batch, before its offsets are committed.
   */
  readonly embeddingCheckpointMs: number;
  /**
   * Items of each precomputed list kept in memory (MongoDB keeps all 100): a GET they cannot
   * fill reads MongoDB. 8 bytes per item per cached user.
   */
  readonly cachedListItems: number;
}

export interface EmbeddedConfig {
  /** Absolute path of the data directory (log, offsets, state snapshots). */
  readonly dataDir: string;
  /** 0 = fsync each append before acknowledging it. */
  readonly fsyncIntervalMs: number;
  readonly snapshotIntervalMs: number;
  /** JSONL catalog published to `items` on first start; null = none. */
  readonly demoCatalog: string | null;
}

/** The typed, validated configuration of one app; built once at boot by loadConfig. */
export interface KairosConfig {
  readonly app: AppName;
  /** Which adapters back the event log and the repositories. */
  readonly mode: RuntimeMode;
  readonly embedded: EmbeddedConfig;
  readonly nodeEnv: (typeof NODE_ENVS)[number];
  readonly port: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly logFormat: 'json' | 'text';
  readonly instanceId: string;
  /** How long a graceful stop may take before the process exits anyway (status 1). */
  readonly shutdownTimeoutMs: number;
  /** V8 heap growth after each full collection, percent of the live heap; 0 = V8's own. */
  readonly heapGrowthPercent: number;
  readonly telemetry: TelemetryConfig;
  readonly kafka: KafkaConfig;
  readonly http: HttpConfig;
  readonly ingest: IngestConfig;
  readonly sessions: SessionConfig;
  /** Null for apps that do not use MongoDB (ingest). */
  readonly mongo: MongoConfig | null;
  readonly models: ModelConfig;
  readonly recommender: RecommenderConfig;
  readonly demo: DemoConfig;
}

export const KAIROS_CONFIG = Symbol('KAIROS_CONFIG');
