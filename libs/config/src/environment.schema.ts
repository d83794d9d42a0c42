import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const KAFKA_ACKS = ['all', '1', '0'] as const;
export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'lz4'] as const;
export const ON_OFF = ['on', 'off'] as const;
export const LOG_FORMATS = ['json', 'text'] as const;
export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export const MODES = ['embedded', 'distributed'] as const;

/**
 * Every environment variable Kairos reads, with its rule. Presence of variables without a
 * default is checked per app against REQUIRED_ENV; this class checks the shape of what is set.
 */
export class EnvironmentSchema {
  @IsOptional() @IsIn(MODES) KAIROS_MODE?: (typeof MODES)[number];

  @IsOptional() @IsString() @MaxLength(4096) KAIROS_DATA_DIR?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60_000) KAIROS_FSYNC_INTERVAL_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  KAIROS_SNAPSHOT_INTERVAL_MS?: number;

  @IsOptional() @IsString() @MaxLength(4096) KAIROS_DEMO_CATALOG?: string;

  @IsOptional() @IsIn(NODE_ENVS) NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT?: number;

  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional() @IsIn(LOG_FORMATS) LOG_FORMAT?: (typeof LOG_FORMATS)[number];

  @IsOptional() @IsString() @MaxLength(128) KAIROS_INSTANCE_ID?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  KAIROS_SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(300) KAIROS_HEAP_GROWTH_PERCENT?: number;

  @IsOptional() @IsIn(['true', 'false']) OTEL_SDK_DISABLED?: 'true' | 'false';

  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,100}$/) OTEL_SERVICE_NAME?: string;

  /** `key=value` pairs separated by commas (W3C baggage format), added to the resource. */
  @IsOptional()
  @Matches(/^\s*[^=,\s]+=[^,]*(,\s*[^=,\s]+=[^,]*)*$/, {
    message: 'OTEL_RESOURCE_ATTRIBUTES must be comma-separated key=value pairs',
  })
  OTEL_RESOURCE_ATTRIBUTES?: string;

  @IsOptional() @IsIn(TRACES_EXPORTERS) OTEL_TRACES_EXPORTER?: (typeof TRACES_EXPORTERS)[number];

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, {
    message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @IsIn(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_PROTOCOL?: (typeof OTLP_PROTOCOLS)[number];

  @IsOptional() @IsIn(TRACES_SAMPLERS) OTEL_TRACES_SAMPLER?: (typeof TRACES_SAMPLERS)[number];

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1) OTEL_TRACES_SAMPLER_ARG?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(600_000) OTEL_BSP_SCHEDULE_DELAY?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(600_000) OTEL_BSP_EXPORT_TIMEOUT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  OTEL_BSP_MAX_QUEUE_SIZE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE?: number;

  @IsOptional()
  @Matches(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,100}$/) KAFKA_CLIENT_ID?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{0,100}$/, {
    message: 'KAFKA_TOPIC_PREFIX may only contain [A-Za-z0-9._-]',
  })
  KAFKA_TOPIC_PREFIX?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) KAFKA_TOPIC_PARTITIONS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10) KAFKA_REPLICATION_FACTOR?: number;

  @IsOptional() @IsIn(KAFKA_ACKS) KAFKA_ACKS?: (typeof KAFKA_ACKS)[number];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  KAFKA_CONSUMER_CONCURRENCY?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  KAFKA_MAX_RECORDS_PER_CALL?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  KAFKA_FETCH_MIN_BYTES?: number;

  /** At most 5 s: kafkajs heartbeats between fetches, so a longer wait risks the session. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5_000)
  KAFKA_FETCH_MAX_WAIT_MS?: number;

  /** At most 60 s: what a crash may replay. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  KAFKA_COMMIT_INTERVAL_MS?: number;

  @IsOptional() @IsIn(KAFKA_COMPRESSIONS) KAFKA_COMPRESSION?: (typeof KAFKA_COMPRESSIONS)[number];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  KAFKA_TOPIC_SETUP_TIMEOUT_MS?: number;

  @IsOptional() @IsIn(ON_OFF) KAIROS_AUTH?: (typeof ON_OFF)[number];

  /** Parsed and checked by parseApiKeys; never echoed in errors because it holds secrets. */
  @IsOptional() @IsString() KAIROS_API_KEYS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  KAIROS_RATE_LIMIT_PER_SECOND?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  KAIROS_RATE_LIMIT_BURST?: number;

  // The list's rules live in web-access.ts (parseCorsOrigins), which names the bad entry.
  @IsOptional() @IsString() KAIROS_CORS_ORIGINS?: string;

  @IsOptional() @IsIn(ON_OFF) KAIROS_DEMO?: (typeof ON_OFF)[number];

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+\/?$/, {
    message: 'KAIROS_DEMO_INGEST_URL must be the origin of ingest, like http://localhost:3001',
  })
  KAIROS_DEMO_INGEST_URL?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(60_000) INGEST_MAX_EVENT_AGE_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000_000) INGEST_MAX_IN_FLIGHT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  INGEST_PRODUCE_TIMEOUT_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1_000) SESSION_INACTIVITY_GAP_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(60_000) SESSION_MAX_DURATION_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000) SESSION_MAX_EVENTS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) SESSION_ALLOWED_LATENESS_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(3_600_000) SESSION_RETENTION_MS?: number;

  @IsOptional() @IsString() @MaxLength(4096) MODEL_DIR?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  MODEL_POLL_INTERVAL_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(600_000) MODEL_SMOKE_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  EMBEDDING_CHECKPOINT_INTERVAL_MS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) RECOMMENDATION_CACHE_ITEMS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000_000) MODEL_MAX_ITEMS?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65_536) MODEL_MAX_DIMENSION?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(256) MODEL_INTRA_OP_THREADS?: number;

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, {
    message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string',
  })
  MONGODB_URI?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  MONGODB_OPERATION_TIMEOUT_MS?: number;
}
