import { type INestApplication } from '@nestjs/common';
import { type AppName, loadConfig } from '@kairos/config';
import { type AppDefinition, createKairosApp, startKairosApp } from '@kairos/platform';
import { featureApp } from '../../apps/feature/src/feature.app';
import { ingestApp } from '../../apps/ingest/src/ingest.app';
import { recommenderApp } from '../../apps/recommender/src/recommender.app';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../support/infra';

const apps: ReadonlyArray<readonly [AppName, AppDefinition, readonly string[]]> = [
  ['ingest', ingestApp, ['kafka']],
  ['feature', featureApp, ['kafka', 'mongodb']],
  ['recommender', recommenderApp, ['kafka', 'mongodb']],
];

describeWithInfra(
  'each app over HTTP against the real broker and database',
  ['kafka', 'mongo'],
  () => {
    const prefix = uniqueTestPrefix('health');

    describe.each(apps)('%s', (_name, definition, expectedChecks) => {
      let app: INestApplication;
      let baseUrl: string;

      beforeAll(async () => {
        const config = loadConfig(definition.name, {
          KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
          MONGODB_URI: requireEnv('MONGODB_URI'),
          KAFKA_TOPIC_PREFIX: prefix,
          PORT: '0',
          LOG_LEVEL: 'warn',
          KAIROS_AUTH: 'off',
        });
        app = await createKairosApp(definition, config);
        await startKairosApp(app, 0, '127.0.0.1');
        baseUrl = await app.getUrl();
      });

      afterAll(async () => {
        await app?.close();
      });

      it('is live', async () => {
        const response = await fetch(`${baseUrl}/health/live`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ok' });
      });

      it('is ready once its dependencies answer', async () => {
        const response = await fetch(`${baseUrl}/health/ready`);
        const body = (await response.json()) as {
          status: string;
          checks: Record<string, { ok: boolean }>;
        };
        expect(response.status).toBe(200);
        expect(body.status).toBe('ready');
        expect(Object.keys(body.checks).sort()).toEqual([...expectedChecks].sort());
        expect(Object.values(body.checks).every((check) => check.ok)).toBe(true);
      });

      it('serves Prometheus metrics labelled with the app', async () => {
        const response = await fetch(`${baseUrl}/metrics`);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(
          `process_cpu_user_seconds_total{app="${definition.name}"}`,
        );
      });
    });
  },
);
