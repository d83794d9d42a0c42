import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Abstract,
  type DynamicModule,
  type INestApplicationContext,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Clock, ConfigModule, type KairosConfig, loadConfig } from '@kairos/config';
import { requireEnv, uniqueTestPrefix } from './infra';
import { type Mode } from './system';

export interface StorageUnderTest {
  /** A provider by class, or by string token (e.g. a mongoose model's). */
  get<T>(port: Abstract<T> | string): T;
  readonly config: KairosConfig;
  close(): Promise<void>;
}

/**
 * Boots only an app's storage module (`forRoot(config)`) in the given mode, so one spec body
 * checks the MongoDB adapter against the real server and the memory adapter alike.
 */
export async function bootStorage(
  mode: Mode,
  storage: (config: KairosConfig) => DynamicModule,
  env: Record<string, string>,
  clock: Clock = Date.now,
): Promise<StorageUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kairos-stores-'));
  const isolated: Record<string, string> =
    mode === 'embedded'
      ? { KAIROS_DATA_DIR: dataDir }
      : { KAIROS_MODE: 'distributed', KAFKA_BROKERS: 'unused:9092', MONGODB_URI: databaseUri() };
  const config = loadConfig('embedded', { KAIROS_AUTH: 'off', ...isolated, ...env });
  @Module({ imports: [ConfigModule.forRoot(config, clock), storage(config)] })
  class StorageRoot {}
  const app: INestApplicationContext = await NestFactory.createApplicationContext(StorageRoot, {
    logger: ['error'],
  });
  await app.init();
  return {
    config,
    get: <T>(port: Abstract<T> | string) => app.get<T>(port),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function databaseUri(): string {
  const uri = new URL(requireEnv('MONGODB_URI'));
  uri.pathname = `/${uniqueTestPrefix('stores').replace(/[^A-Za-z0-9]/g, '_')}`;
  return uri.toString();
}
