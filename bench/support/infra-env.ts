import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Broker/database addresses: from the environment, else from scripts/infra's .infra/env. */
export function infraEnv(): { KAFKA_BROKERS: string; MONGODB_URI?: string } {
  const file = resolve(__dirname, '../../.infra/env');
  const fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) fromFile[match[1]] = match[2];
    }
  }
  const brokers = process.env.KAFKA_BROKERS ?? fromFile.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('KAFKA_BROKERS not set and .infra/env missing: run scripts/infra/up.sh first');
  }
  const mongo = process.env.MONGODB_URI ?? fromFile.MONGODB_URI;
  return { KAFKA_BROKERS: brokers, ...(mongo ? { MONGODB_URI: mongo } : {}) };
}
