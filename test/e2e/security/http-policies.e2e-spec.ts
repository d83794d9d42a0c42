import { request } from 'node:http';
import { MAX_BODY_BYTES } from '@kairos/http';
import { ingestApp } from '../../../apps/ingest/src/ingest.app';
import { type RunningApp } from '../../support/boot';
import { describeWithInfra, uniqueTestPrefix } from '../../support/infra';
import {
  SERVICE_APPS,
  SCOPE_KEYS,
  scopeKeysEnv,
  securityEnv,
  bootSecurityApp,
} from './security-apps';

/** A protected route of each app, called with the key of its scope. */
const PROTECTED = {
  ingest: { path: '/v1/events', key: SCOPE_KEYS['events:write'] },
  feature: { path: '/v1/users/sec-user/session', key: SCOPE_KEYS['recommendations:read'] },
  recommender: { path: '/v1/recommendations/sec-user', key: SCOPE_KEYS['recommendations:read'] },
} as const;

const LIMITED_KEY = 'sec-limited-key-0123456789';

const HELMET_HEADERS: Record<string, RegExp> = {
  'content-security-policy': /default-src 'self'/,
  'strict-transport-security': /^max-age=31536000; includeSubDomains$/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-dns-prefetch-control': /^off$/,
  'x-download-options': /^noopen$/,
  'x-permitted-cross-domain-policies': /^none$/,
};

/** A chunked upload (no Content-Length), which body limits must catch while streaming. */
function postChunked(url: string, key: string, chunks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    outgoing.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // The server may answer 413 and close while we are still writing.
    outgoing.on('error', (error) => (outgoing.writableEnded ? undefined : reject(error)));
    outgoing.write('{"pad":"');
    for (let i = 0; i < chunks; i++) outgoing.write('x'.repeat(64 * 1_024));
    outgoing.end('"}');
  });
}

describeWithInfra('HTTP policies of every app', ['kafka', 'mongo'], () => {
  jest.setTimeout(180_000);

  describe.each(SERVICE_APPS)('%s', (name, definition) => {
    let running: RunningApp;
    const { path, key } = PROTECTED[name];
    const url = () => `${running.baseUrl}${path}`;
    const method = name === 'ingest' ? 'POST' : 'GET';

    beforeAll(async () => {
      const scope = name === 'ingest' ? 'events:write' : 'recommendations:read';
      running = await bootSecurityApp(
        definition,
        securityEnv(uniqueTestPrefix(`security-http-${name}`), {
          KAIROS_API_KEYS: scopeKeysEnv([`limited|${LIMITED_KEY}|${scope}|2`]),
        }),
      );
    });

    afterAll(async () => {
      await running?.close();
    });

    it('sends helmet secure headers on answers, refusals and unknown routes, and no X-Powered-By', async () => {
      for (const response of [
        await fetch(`${running.baseUrl}/health/live`),
        await fetch(url(), { method }),
        await fetch(`${running.baseUrl}/no-such-route`),
      ]) {
        for (const [header, pattern] of Object.entries(HELMET_HEADERS)) {
          expect([header, response.headers.get(header)]).toEqual([
            header,
            expect.stringMatching(pattern),
          ]);
        }
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('refuses bodies over 1 MiB with 413, by Content-Length or chunked, and takes one at the limit', async () => {
      const post = (body: string) =>
        fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
        });
      const atLimit = `{"pad":"${'x'.repeat(MAX_BODY_BYTES - 10)}"}`;
      expect(Buffer.byteLength(atLimit)).toBe(MAX_BODY_BYTES);
      expect((await post(atLimit)).status).not.toBe(413);
      const over = await post(`{"pad":"${'x'.repeat(MAX_BODY_BYTES - 9)}"}`);
      expect(over.status).toBe(413);
      expect(((await over.json()) as { error: { code: string } }).error.code).toBe(
        'payload_too_large',
      );
      expect(await postChunked(url(), key, 20)).toBe(413);
    });

    it('refuses non-JSON and non-UTF-8 bodies with 415', async () => {
      for (const type of [
        'text/plain',
        'application/json; charset=utf-7',
        'application/json; charset=utf-16le',
      ]) {
        const response = await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': type, authorization: `Bearer ${key}` },
          body: '{}',
        });
        expect([type, response.status]).toEqual([type, 415]);
      }
    });

    it('rate-limits per key with 429 and Retry-After, leaving other keys alone', async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const response = await fetch(url(), {
          method,
          headers: { authorization: `Bearer ${LIMITED_KEY}`, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        statuses.push(response.status);
        if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
      }
      // Rate 2/s, burst 4: the first four pass (to validation), then the bucket is empty.
      expect(statuses.slice(0, 4)).not.toContain(429);
      expect(statuses.slice(4)).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      const other = await fetch(url(), { method, headers: { authorization: `Bearer ${key}` } });
      expect(other.status).not.toBe(429);
    });
  });

  describe('defaults from KAIROS_RATE_LIMIT_PER_SECOND and KAIROS_RATE_LIMIT_BURST', () => {
    let running: RunningApp;

    beforeAll(async () => {
      running = await bootSecurityApp(
        ingestApp,
        securityEnv(uniqueTestPrefix('security-rate'), {
          KAIROS_RATE_LIMIT_PER_SECOND: '1',
          KAIROS_RATE_LIMIT_BURST: '3',
        }),
      );
    });

    afterAll(async () => {
      await running?.close();
    });

    it('lets a key without its own rate send the burst, then answers 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${running.baseUrl}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SCOPE_KEYS['events:write']}` },
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 3)).not.toContain(429);
      expect(statuses.slice(3)).toEqual([429, 429]);
    });
  });
});
