import { type INestApplication, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { HealthModule } from './health.module';
import { type ReadinessCheck } from './readiness-check';

class UpCheck implements ReadinessCheck {
  readonly name = 'up';
  check(): Promise<void> {
    return Promise.resolve();
  }
}

class DownCheck implements ReadinessCheck {
  readonly name = 'down';
  check(): Promise<void> {
    return Promise.reject(new Error('connection refused'));
  }
}

class HangingCheck implements ReadinessCheck {
  readonly name = 'hanging';
  check(): Promise<void> {
    return new Promise(() => undefined);
  }
}

async function boot(checks: ReadonlyArray<Type<ReadinessCheck>>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [HealthModule.forRoot(checks)],
    providers: [...checks],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('HealthController', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('reports ready when every check passes', async () => {
    app = await boot([UpCheck]);
    const response = await fetch(`${await app.getUrl()}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { up: { ok: true } } });
  });

  it('answers 503 naming the failing dependency, and stays live', async () => {
    app = await boot([UpCheck, DownCheck]);
    const url = await app.getUrl();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      checks: { up: { ok: true }, down: { ok: false, error: 'connection refused' } },
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('treats a check that never answers as not ready', async () => {
    app = await boot([HangingCheck]);
    const response = await fetch(`${await app.getUrl()}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as {
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(body.checks.hanging?.ok).toBe(false);
    expect(body.checks.hanging?.error).toMatch(/no answer within 2000 ms/);
  });
});
