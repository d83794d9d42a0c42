import { type EnvironmentSchema } from './environment.schema';

export interface VariableDoc {
  readonly default: string;
  readonly meaning: string;
}

/**
 * Every variable Kairos reads, documented once. The README's configuration table is checked
 * against this record, and only these names are read from the environment.
 */
export const ENVIRONMENT_VARIABLES: Readonly<Record<keyof EnvironmentSchema, VariableDoc>> = {
  KAIROS_MODE: {
    default: '`embedded` for `npm start`, `distributed` for each service',
    meaning:
      '`distributed`: Kafka and MongoDB. `embedded`: in-process log and in-memory stores persisted to `KAIROS_DATA_DIR` (only the one-process app `apps/embedded`).',
  },
  KAIROS_DATA_DIR: {
    default: '`./data`',
    meaning:
      'Embedded mode: directory of the event log, committed offsets and state snapshots (locked by one process).',
  },
  KAIROS_FSYNC_INTERVAL_MS: {
    default: '1000',
    meaning:
      'Embedded mode: fsync of the log every n ms; `0` = fsync every append before acknowledging it.',
  },
  KAIROS_SNAPSHOT_INTERVAL_MS: {
    default: '10000',
    meaning:
      'Embedded mode: how often the in-memory state is snapshotted (also at shutdown); a restart replays the log since.',
  },
  KAIROS_DEMO_CATALOG: {
    default: '`./demo/catalog.jsonl`',
    meaning:
      'Embedded mode: catalog published to `items` when the log has none yet; `none` disables it.',
  },
  NODE_ENV: { default: 'development', meaning: '`development`, `production` or `test`.' },
  PORT: {
    default: 'embedded 3000, ingest 3001, feature 3002, recommender 3003',
    meaning: 'HTTP port of the app.',
  },
  LOG_LEVEL: { default: 'info', meaning: '`debug`, `info`, `warn` or `error`.' },
  LOG_FORMAT: {
    default: 'json (text when NODE_ENV=development)',
    meaning: '`json` (one object per line with trace_id and span_id) or `text`.',
  },
  OTEL_SDK_DISABLED: {
    default: 'false',
    meaning: '`true` turns tracing off entirely (no SDK, no instrumentation).',
  },
  OTEL_SERVICE_NAME: {
    default: '`kairos-<app>`',
    meaning: "The `service.name` of the app's spans.",
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    default: '(none)',
    meaning:
      'Extra resource attributes, `key=value,...` (`service.version` and `service.instance.id` are set).',
  },
  OTEL_TRACES_EXPORTER: {
    default: 'otlp when an endpoint is set, else none',
    meaning: '`otlp`, `console` or `none` (no exporter: tracing off).',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    default: '(none)',
    meaning:
      'Collector base URL, e.g. `http://localhost:4318` (HTTP) or `http://localhost:4317` (gRPC).',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    default: 'http/protobuf',
    meaning: '`http/protobuf`, `http/json` or `grpc`.',
  },
  OTEL_TRACES_SAMPLER: {
    default: 'parentbased_always_on',
    meaning:
      '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off` or `parentbased_traceidratio`.',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    default: '1.0',
    meaning: 'Sampling ratio from 0 to 1 for the `*traceidratio` samplers.',
  },
  OTEL_BSP_SCHEDULE_DELAY: {
    default: '5000',
    meaning: 'Milliseconds finished spans wait before a batch is exported.',
  },
  OTEL_BSP_EXPORT_TIMEOUT: {
    default: '30000',
    meaning: 'Milliseconds one export may take before it counts as failed (its spans are dropped).',
  },
  OTEL_BSP_MAX_QUEUE_SIZE: {
    default: '8192',
    meaning:
      'Finished spans held for export; beyond it new spans are dropped, counted and logged (never blocking a request).',
  },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: {
    default: '512',
    meaning: 'Spans per export request; a full batch is exported without waiting for the delay.',
  },
  KAIROS_INSTANCE_ID: {
    default: '`<hostname>-<pid>`',
    meaning: 'Identifies this replica in logs, metrics and Kafka client ids.',
  },
  KAIROS_SHUTDOWN_TIMEOUT_MS: {
    default: '25000',
    meaning:
      "After SIGTERM or SIGINT, how long the graceful stop (leave consumer groups, flush checkpoints and spans) may take before the process exits with status 1; keep it below the orchestrator's grace period (30 s in Kubernetes).",
  },
  KAIROS_HEAP_GROWTH_PERCENT: {
    default: 'recommender 30, other apps 0',
    meaning:
      "How far (0 to 300 percent) V8's heap may grow past what its last full collection kept before the next one; 0 leaves V8's own rule, which lets a busy process hold up to 4x its live heap. A `--heap-growing-percent` node flag overrides it. See Recommender service (memory).",
  },
  KAFKA_BROKERS: {
    default: '(required in distributed mode)',
    meaning: 'Comma-separated `host:port` bootstrap brokers.',
  },
  KAFKA_CLIENT_ID: { default: '`kairos-<app>`', meaning: 'Kafka client id prefix.' },
  KAFKA_TOPIC_PREFIX: {
    default: '(empty)',
    meaning: 'Prepended to every topic name, so environments can share a cluster.',
  },
  KAFKA_TOPIC_PARTITIONS: {
    default: '12',
    meaning: 'Partitions of topics the apps create at boot; consumers scale out up to this.',
  },
  KAFKA_REPLICATION_FACTOR: { default: '1', meaning: 'Replication factor of created topics.' },
  KAFKA_ACKS: {
    default: 'all',
    meaning: 'Producer acks: `all` (durable), `1` (leader only) or `0` (fire and forget).',
  },
  KAFKA_SESSION_TIMEOUT_MS: {
    default: '30000',
    meaning: 'Consumer group session timeout: how long a crashed consumer holds its partitions.',
  },
  KAFKA_CONSUMER_CONCURRENCY: {
    default: '12',
    meaning:
      'Partition batches one consumer processes at once (one fetch returns a batch per partition; fewer means they wait their turn).',
  },
  KAFKA_MAX_RECORDS_PER_CALL: {
    default: '500',
    meaning:
      'Most records one handler call gets (partition batches of one fetch are merged up to it); a consumer catching up receives thousands per fetch, handled and committed in steps of this size (bounded memory, progress kept if the group evicts it).',
  },
  KAFKA_FETCH_MIN_BYTES: {
    default: '1',
    meaning:
      'Bytes the broker gathers before answering a consumer fetch (up to KAFKA_FETCH_MAX_WAIT_MS). 1 answers at once; more makes one fetch and one commit cover several records when the rate is low, which saves CPU on a saturated machine but adds up to the wait to every hop (bench/recommender/README.md).',
  },
  KAFKA_FETCH_MAX_WAIT_MS: {
    default: '5000',
    meaning:
      'Longest a consumer fetch waits for KAFKA_FETCH_MIN_BYTES (1 to 5000). Also how often an idle consumer polls when KAFKA_FETCH_MIN_BYTES is above 1.',
  },
  KAFKA_COMMIT_INTERVAL_MS: {
    default: '0',
    meaning:
      'How often consumers commit the offsets they have handled (0 to 60000). 0 commits after every handled batch. Above 0, batches handled within the interval share one commit (a timer commits the last ones), which saves a request per batch in the app and a write to __consumer_offsets in the broker at low rates; a crash replays at most the interval, which consumers dedupe, and consumer lag trails by up to the interval. Opt-in (bench/recommender/README.md).',
  },
  KAFKA_COMPRESSION: {
    default: 'lz4',
    meaning:
      'Producer compression: `none`, `gzip` or `lz4` (the LZ4 frame format Kafka uses, encoded and decoded in TypeScript: libs/messaging/src/kafka/lz4-frame.*.ts).',
  },
  KAFKA_TOPIC_SETUP_TIMEOUT_MS: {
    default: '60000',
    meaning:
      'At boot: how long an app retries creating topics and waiting for their leaders (each retry logged) before it exits naming them.',
  },
  KAIROS_AUTH: {
    default: 'on',
    meaning: '`off` disables API-key auth (local use only; logged loudly at boot).',
  },
  KAIROS_API_KEYS: {
    default: '(required unless auth is off)',
    meaning: 'API keys with their scopes and rate limits; format under Authentication.',
  },
  KAIROS_RATE_LIMIT_PER_SECOND: {
    default: '1000',
    meaning: 'Requests per second per API key (a key may set its own).',
  },
  KAIROS_RATE_LIMIT_BURST: { default: '2 x the rate', meaning: 'Token-bucket burst per API key.' },
  KAIROS_CORS_ORIGINS: {
    default: '(none: CORS off)',
    meaning: 'Comma-separated origins allowed by CORS (`http://host:port`), or `*`.',
  },
  KAIROS_DEMO: {
    default: 'on when auth is off, else off',
    meaning:
      'Serves the demo page at `/` of the recommender (catalog, click-to-ingest, live list). Refused with auth on.',
  },
  KAIROS_DEMO_INGEST_URL: {
    default: '(same origin)',
    meaning:
      'Where the demo page POSTs clicks when ingest runs elsewhere (distributed mode); ingest must allow the page in `KAIROS_CORS_ORIGINS`.',
  },
  INGEST_MAX_EVENT_AGE_MS: {
    default: '604800000 (7 days)',
    meaning: 'Events with an older timestamp are rejected.',
  },
  INGEST_MAX_IN_FLIGHT: {
    default: '20000',
    meaning: 'Events being produced at once; beyond it ingest answers 503 instead of buffering.',
  },
  INGEST_PRODUCE_TIMEOUT_MS: {
    default: '5000',
    meaning: 'How long a request waits for the broker before answering 503.',
  },
  SESSION_INACTIVITY_GAP_MS: {
    default: '1800000 (30 min)',
    meaning: 'A gap in event time longer than this ends a session.',
  },
  SESSION_MAX_DURATION_MS: {
    default: '14400000 (4 h)',
    meaning: 'A session never spans more event time than this.',
  },
  SESSION_MAX_EVENTS: { default: '50', meaning: 'Events kept in a session window.' },
  SESSION_ALLOWED_LATENESS_MS: {
    default: '600000 (10 min)',
    meaning:
      'Out-of-order events up to this late are placed in the window; later ones only update the profile.',
  },
  SESSION_RETENTION_MS: {
    default: '2592000000 (30 days)',
    meaning:
      'Archived sessions older than this are purged (TTL index where honoured, plus a sweeper every minute).',
  },
  MODEL_DIR: {
    default: '`./models`',
    meaning:
      'Drop-in model directory watched by the recommender (`<name>/<version>/`, see models/README.md).',
  },
  MODEL_POLL_INTERVAL_MS: {
    default: '2000',
    meaning: 'How often the recommender looks for new or completed model versions.',
  },
  MODEL_SMOKE_TIMEOUT_MS: {
    default: '5000',
    meaning: 'Time budget of the smoke inference a model version must pass before it may serve.',
  },
  EMBEDDING_CHECKPOINT_INTERVAL_MS: {
    default: '5000',
    meaning:
      'How often the recommender writes learned item rows and user vectors to MongoDB and `item-embeddings` (0 = with every batch, before its offsets are committed); see Recommender service.',
  },
  RECOMMENDATION_CACHE_ITEMS: {
    default: '32',
    meaning:
      'Items of each precomputed list the recommender keeps in memory, 1 to 100 (MongoDB keeps all 100): a GET they cannot fill, for a larger `k` or after filters, reads MongoDB. 8 bytes per item per cached user; see Recommender service.',
  },
  MODEL_MAX_ITEMS: {
    default: '5000000',
    meaning:
      'Largest model vocabulary accepted; bigger manifests are refused before anything is read.',
  },
  MODEL_MAX_DIMENSION: {
    default: '1024',
    meaning:
      'Largest embedding dimension accepted; bigger manifests are refused before anything is read.',
  },
  MODEL_INTRA_OP_THREADS: {
    default: '0 (one per core)',
    meaning: 'onnxruntime threads per inference.',
  },
  MONGODB_URI: {
    default: '(required by feature and recommender in distributed mode)',
    meaning: 'MongoDB connection string, database name included.',
  },
  MONGODB_OPERATION_TIMEOUT_MS: {
    default: '30000',
    meaning:
      "Most time one MongoDB operation may take, retries included (the driver's `timeoutMS`); a write that never answers fails and its batch is retried instead of holding its partition and the app's shutdown.",
  },
};
