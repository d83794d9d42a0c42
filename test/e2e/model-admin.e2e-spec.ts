// Must load before onnxruntime-node (through the recommender app): see the module's comment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithPythonModels, writePythonModel } from '../fixtures/python/python-models';
import { bootSystem, describeEachMode, type System } from '../support/system';

const ADMIN_KEY = 'ops-admin-key-0123456789';
const READER_KEY = 'web-reader-key-0123456789';

interface VersionBody {
  name: string;
  version: string;
  status: string;
  reason: { code: string; message: string } | null;
  loadedAt: string | null;
  validation: { stepsMs: Record<string, number>; totalMs: number } | null;
}
interface ListBody {
  active: { name: string; version: string } | null;
  pinned: boolean;
  versions: VersionBody[];
}

describeEachMode('model admin API of the recommender over HTTP', (mode) => {
  describeWithPythonModels('with models written by the Python onnx helper', () => {
    let modelDir: string;
    let system: System;
    let baseUrl: string;

    const call = async (method: 'GET' | 'POST', path: string, key: string | null = ADMIN_KEY) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: key === null ? {} : { authorization: `Bearer ${key}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const list = async (): Promise<ListBody> =>
      (await call('GET', '/v1/models')).body as unknown as ListBody;

    beforeAll(async () => {
      modelDir = mkdtempSync(join(tmpdir(), 'kairos-e2e-models-'));
      const options = { items: 40, dim: 8 };
      writePythonModel(join(modelDir, 'demo', '1'), 'demo', '1', {
        ...options,
        created: '2026-04-01T00:00:00Z',
      });
      writePythonModel(join(modelDir, 'demo', '2'), 'demo', '2', {
        ...options,
        created: '2026-04-02T00:00:00Z',
      });
      writePythonModel(join(modelDir, 'demo', '3'), 'demo', '3', {
        ...options,
        created: '2026-04-03T00:00:00Z',
        fault: 'nan-output',
      });
      system = await bootSystem(mode, ['recommender'], 'models', {
        KAIROS_API_KEYS: `ops|${ADMIN_KEY}|admin;web|${READER_KEY}|recommendations:read`,
        MODEL_DIR: modelDir,
        LOG_LEVEL: 'error',
      });
      baseUrl = system.url('recommender');
    });

    afterAll(async () => {
      await system?.close();
      rmSync(modelDir, { recursive: true, force: true });
    });

    it('requires an API key with the admin scope', async () => {
      expect((await call('GET', '/v1/models', null)).status).toBe(401);
      const forbidden = await call('POST', '/v1/models/rollback', READER_KEY);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ error: { code: 'forbidden' } });
    });

    it('lists every version with its status, reason, load time and validation timings', async () => {
      const body = await list();
      expect(body.active).toEqual({ name: 'demo', version: '2' });
      expect(body.versions.map((info) => [info.version, info.status])).toEqual([
        ['3', 'rejected'],
        ['2', 'active'],
        ['1', 'ready'],
      ]);
      const refused = body.versions[0];
      expect(refused?.reason?.code).toBe('SMOKE_FAILED');
      expect(refused?.reason?.message).toMatch(/non-finite/);
      const active = body.versions[1];
      expect(active?.loadedAt).toEqual(expect.any(String));
      expect(active?.validation?.totalMs).toBeGreaterThan(0);
      expect(Object.keys(active?.validation?.stepsMs ?? {})).toContain('smoke');
    });

    it('activates a chosen version and rolls back to the previous one', async () => {
      const activated = await call('POST', '/v1/models/demo/1/activate');
      expect(activated.status).toBe(200);
      expect(activated.body.active).toEqual({ name: 'demo', version: '1' });
      expect(await list()).toMatchObject({ active: { version: '1' }, pinned: true });

      const rolledBack = await call('POST', '/v1/models/rollback');
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.active).toEqual({ name: 'demo', version: '2' });

      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      const app = system.metricsApp('recommender');
      expect(metrics).toContain(
        `kairos_model_active_info{model="demo",version="2",app="${app}"} 1`,
      );
      expect(metrics).toContain(
        `kairos_model_load_failures_total{code="SMOKE_FAILED",app="${app}"} 1`,
      );
    });

    it('refuses to activate a rejected, unknown or malformed version and keeps serving', async () => {
      const rejected = await call('POST', '/v1/models/demo/3/activate');
      expect(rejected.status).toBe(409);
      expect(rejected.body).toMatchObject({
        error: { code: 'model_not_activatable', details: { reason: { code: 'SMOKE_FAILED' } } },
      });
      const unknown = await call('POST', '/v1/models/demo/99/activate');
      expect(unknown.status).toBe(404);
      const malformed = await call('POST', '/v1/models/demo/bad%20version/activate');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ error: { code: 'validation_failed' } });
      expect((await list()).active).toEqual({ name: 'demo', version: '2' });
    });
  });
});
