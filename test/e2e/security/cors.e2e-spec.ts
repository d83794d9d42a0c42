import { ConfigValidationError, loadConfig } from '@kairos/config';
import { ingestApp } from '../../../apps/ingest/src/ingest.app';
import { type RunningApp } from '../../support/boot';
import { describeWithInfra, uniqueTestPrefix } from '../../support/infra';
import { SCOPE_KEYS, securityEnv, bootSecurityApp } from './security-apps';

const SHOP = 'https://shop.example';

function preflight(baseUrl: string, origin: string): Promise<Response> {
  return fetch(`${baseUrl}/v1/events`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describeWithInfra('CORS configured by KAIROS_CORS_ORIGINS', ['kafka', 'mongo'], () => {
  const apps: RunningApp[] = [];
  const boot = async (origins?: string) => {
    const running = await bootSecurityApp(
      ingestApp,
      securityEnv(
        uniqueTestPrefix('security-cors'),
        origins === undefined ? {} : { KAIROS_CORS_ORIGINS: origins },
      ),
    );
    apps.push(running);
    return running.baseUrl;
  };

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('allows only the listed origins, with the auth and trace headers, never credentials', async () => {
    const baseUrl = await boot(`${SHOP}, http://localhost:5173`);
    const allowed = await preflight(baseUrl, SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await preflight(baseUrl, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const post = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: {
        origin: 'http://localhost:5173',
        'content-type': 'application/json',
        authorization: `Bearer ${SCOPE_KEYS['events:write']}`,
      },
      body: JSON.stringify({ userId: 'cors-user', itemId: 'cors-item', type: 'view' }),
    });
    expect(post.status).toBe(202);
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(post.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });

  it('sends no CORS headers when unset, and any origin with `*`', async () => {
    const off = await preflight(await boot(), SHOP);
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    const any = await preflight(await boot('*'), 'https://anyone.example');
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses to start with an origin that is not scheme://host[:port]', () => {
    const load = () =>
      loadConfig('ingest', {
        KAFKA_BROKERS: '127.0.0.1:9092',
        KAIROS_AUTH: 'off',
        KAIROS_CORS_ORIGINS: `${SHOP},https://shop.example/checkout`,
      });
    expect(load).toThrow(ConfigValidationError);
    expect(load).toThrow(
      /KAIROS_CORS_ORIGINS: "https:\/\/shop.example\/checkout" is not an origin/,
    );
  });
});
