import { loadConfig, type AppName, type KairosConfig } from '@kairos/config';
import mongoose from 'mongoose';
import { infraEnv } from '../../support/infra-env';

/**
 * One run's private corner of the shared broker and database: a topic prefix and a database
 * nobody else uses, so a benchmark never reads or disturbs another engineer's data.
 */
export interface BenchScope {
  readonly prefix: string;
  readonly kafkaBrokers: string;
  readonly mongoUri: string;
  /** Environment for an app process of this scope (auth off: see README). */
  appEnv(extra?: Record<string, string>): Record<string, string>;
  config(app: AppName): KairosConfig;
  /** Drops the run's database (topics stay; their prefix is unique and they are small). */
  dropDatabase(): Promise<void>;
}

export function benchScope(name: string, index: number): BenchScope {
  const { KAFKA_BROKERS, MONGODB_URI } = infraEnv();
  if (!MONGODB_URI) throw new Error('MONGODB_URI missing: run scripts/infra/up.sh');
  const prefix = `bench-${name}-${Date.now().toString(36)}-${index}.`;
  const mongo = new URL(MONGODB_URI);
  mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
  const mongoUri = mongo.toString();
  const appEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    KAFKA_BROKERS,
    MONGODB_URI: mongoUri,
    KAFKA_TOPIC_PREFIX: prefix,
    KAIROS_AUTH: 'off',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    ...extra,
  });
  return {
    prefix,
    kafkaBrokers: KAFKA_BROKERS,
    mongoUri,
    appEnv,
    config: (app) => loadConfig(app, appEnv()),
    dropDatabase: async () => {
      const connection = await mongoose.createConnection(mongoUri).asPromise();
      await connection.dropDatabase();
      await connection.close();
    },
  };
}
