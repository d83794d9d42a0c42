import { type INestApplication } from '@nestjs/common';
import { type KairosConfig, loadConfig } from '@kairos/config';
import { type AppDefinition, createKairosApp, startKairosApp } from '@kairos/platform';
import { requireEnv } from './infra';

export interface RunningApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly config: KairosConfig;
  close(): Promise<void>;
}

/**
 * Boots an app the way main.ts does (same modules, HTTP policies and transport) on a free port,
 * against the real services, with test-specific environment on top.
 */
export async function bootApp(
  definition: AppDefinition,
  env: Record<string, string>,
): Promise<RunningApp> {
  const config = loadConfig(definition.name, {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    ...(definition.name === 'ingest' ? {} : { MONGODB_URI: requireEnv('MONGODB_URI') }),
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...env,
  });
  const app = await createKairosApp(definition, config);
  await startKairosApp(app, 0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, baseUrl, config, close: () => app.close() };
}
