import { createHash } from 'node:crypto';
import { type AppProcess, startAppProcess } from '../../support/app-process';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../../support/infra';
import { SCOPE_KEYS, scopeKeysEnv } from './security-apps';

const LIMITED_KEY = 'sec-log-limited-key-0123456789';
const SECRETS = [...Object.values(SCOPE_KEYS), LIMITED_KEY];

/**
 * Ingest as its own process at LOG_LEVEL=debug (access log on), driven through every path a key
 * can take, successful or not; then neither a secret nor its SHA-256 digest may appear in
 * anything it wrote, nor in /metrics. Port 3810 (this suite's range).
 */
describeWithInfra('API keys never appear in logs', ['kafka'], () => {
  jest.setTimeout(120_000);
  let ingest: AppProcess;

  beforeAll(async () => {
    ingest = await startAppProcess(
      'ingest',
      {
        KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
        KAFKA_TOPIC_PREFIX: uniqueTestPrefix('security-logs'),
        KAIROS_API_KEYS: scopeKeysEnv([`limited|${LIMITED_KEY}|events:write|1`]),
        LOG_LEVEL: 'debug',
      },
      3810,
    );
  });

  afterAll(async () => {
    await ingest?.stop();
  });

  it('logs key names and routes, never a key, on success and on every error path', async () => {
    const writer = SCOPE_KEYS['events:write'];
    const send = (
      path: string,
      init: { method?: string; headers?: Record<string, string>; body?: string },
    ) =>
      fetch(`${ingest.baseUrl}${path}`, {
        method: init.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
    const event = JSON.stringify({ userId: 'log-user', itemId: 'log-item', type: 'view' });
    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
    const statuses = [
      (await send('/v1/events', { headers: bearer(writer), body: event })).status,
      (await send('/v1/items/log-item', { method: 'PUT', headers: bearer(writer), body: '{}' }))
        .status,
      (await send('/v1/events', { headers: bearer(`${writer}x`), body: event })).status,
      (await send('/v1/events', { headers: { authorization: `Basic ${writer}` }, body: event }))
        .status,
      (await send(`/v1/events?api_key=${writer}`, { body: event })).status,
      (
        await send('/v1/events', {
          headers: { 'x-api-key': writer, cookie: `key=${writer}` },
          body: event,
        })
      ).status,
      (await send(`/v1/items/${writer}`, { method: 'GET', headers: bearer(writer) })).status,
      (await send('/v1/events', { headers: bearer(writer), body: '{"userId": ' })).status,
      (
        await send('/v1/events', {
          headers: bearer(writer),
          body: JSON.stringify({ [writer]: writer }),
        })
      ).status,
      (
        await send('/v1/events', {
          headers: bearer(writer),
          body: `{"pad":"${'x'.repeat(1_100_000)}"}`,
        })
      ).status,
    ];
    expect(statuses).toEqual([202, 403, 401, 401, 401, 401, 404, 400, 400, 413]);
    const limited: number[] = [];
    for (let i = 0; i < 4; i++) {
      limited.push(
        (await send('/v1/events', { headers: bearer(LIMITED_KEY), body: event })).status,
      );
    }
    expect(limited).toContain(429);

    const metrics = await (await fetch(`${ingest.baseUrl}/metrics`)).text();
    await ingest.stop();
    const output = ingest.output.join('');
    // The capture works and the access log names keys: otherwise "absent" would prove nothing.
    expect(output).toContain('key=events-write');
    expect(output).toContain('POST /v1/events 202');
    expect(output).toContain('(no route) 404');
    for (const secret of SECRETS) {
      const digest = createHash('sha256').update(secret).digest('hex');
      for (const [where, text] of [
        ['logs', output],
        ['metrics', metrics],
      ] as const) {
        expect([where, text.includes(secret)]).toEqual([where, false]);
        expect([where, text.includes(digest)]).toEqual([where, false]);
      }
    }
  });
});
