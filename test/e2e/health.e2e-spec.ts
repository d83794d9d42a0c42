import { type ServiceName } from '@kairos/config';
import { bootSystem, describeEachMode, type Mode, type System } from '../support/system';

/** Which readiness checks each mode's adapters register. */
const EXPECTED: Readonly<Record<Mode, ReadonlyArray<readonly [ServiceName, readonly string[]]>>> = {
  distributed: [
    ['ingest', ['kafka']],
    ['feature', ['kafka', 'mongodb']],
    ['recommender', ['kafka', 'mongodb']],
  ],
  // One process serves every route; its checks cover the in-process log and the state store.
  embedded: [['ingest', ['event-log', 'state-store']]],
};

describeEachMode('each app over HTTP: liveness, readiness of its adapters, metrics', (mode) => {
  let system: System;

  beforeAll(async () => {
    system = await bootSystem(
      mode,
      EXPECTED[mode].map(([service]) => service),
      'health',
      { KAIROS_AUTH: 'off' },
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  describe.each(EXPECTED[mode])('%s', (service, expectedChecks) => {
    it('is live', async () => {
      const response = await fetch(`${system.url(service)}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('is ready once its dependencies answer', async () => {
      const response = await fetch(`${system.url(service)}/health/ready`);
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
      const response = await fetch(`${system.url(service)}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(
        `process_cpu_user_seconds_total{app="${system.metricsApp(service)}"}`,
      );
    });
  });
});
