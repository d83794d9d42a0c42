import { type AppName } from './app-name';
import { type LOG_LEVELS, type NODE_ENVS } from './environment.schema';

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topicPrefix: string;
  /** Partitions for topics the app creates; consumers scale out up to this count. */
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  /** -1 = all in-sync replicas, the only setting under which an acknowledged write survives a broker loss. */
  readonly acks: -1 | 0 | 1;
}

export interface MongoConfig {
  readonly uri: string;
}

/** The typed, validated configuration of one app; built once at boot by loadConfig. */
export interface KairosConfig {
  readonly app: AppName;
  readonly nodeEnv: (typeof NODE_ENVS)[number];
  readonly port: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly instanceId: string;
  readonly kafka: KafkaConfig;
  /** Null for apps that do not use MongoDB (ingest). */
  readonly mongo: MongoConfig | null;
}

export const KAIROS_CONFIG = Symbol('KAIROS_CONFIG');
