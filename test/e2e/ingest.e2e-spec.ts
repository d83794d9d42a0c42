import { Topic } from '@kairos/contracts';
import { partitionForKey } from '@kairos/messaging';
import { metricValue } from '../support/metrics';
import { bootSystem, describeEachMode, type System } from '../support/system';

const KEYS = {
  writer: 'writer-secret-0123456789',
  catalog: 'catalog-secret-0123456789',
  reader: 'reader-secret-0123456789',
  admin: 'admin-secret-0123456789',
  limited: 'limited-secret-0123456789',
};

interface ErrorResponse {
  error: {
    code: string;
    message: string;
    details?: Array<{ field: string; reason: string }>;
    traceId?: string;
  };
}

describeEachMode('ingest over HTTP, records as they reach the event log', (mode) => {
  let system: System;

  beforeAll(async () => {
    system = await bootSystem(mode, ['ingest'], 'ingest', {
      KAIROS_API_KEYS: [
        `writer|${KEYS.writer}|events:write`,
        `catalog|${KEYS.catalog}|items:write`,
        `reader|${KEYS.reader}|recommendations:read`,
        `admin|${KEYS.admin}|admin`,
        `limited|${KEYS.limited}|events:write|2`,
      ].join(';'),
    });
  });

  afterAll(async () => {
    await system?.close();
  });

  function post(
    path: string,
    body: unknown,
    key: string | null = KEYS.writer,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${system.url('ingest')}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('publishes an accepted event to the murmur2 partition of its userId, with headers, after the ack', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const users = ['alice', 'bob', 'carol@example.com', 'dave:42'];
    const accepted = new Map<string, string>();
    for (const userId of users) {
      const response = await post(
        '/v1/events',
        { userId, itemId: 'sku-1', type: 'view', context: { page: 'home' } },
        KEYS.writer,
        {
          traceparent,
        },
      );
      expect(response.status).toBe(202);
      expect(response.headers.get('x-trace-id')).toBe('0af7651916cd43dd8448eb211c80319c');
      const body = (await response.json()) as { eventId: string };
      accepted.set(body.eventId, userId);
    }
    const records = await system.readTopic(Topic.Events, (r) => r.length >= users.length);
    expect(records).toHaveLength(users.length);
    for (const record of records) {
      const value = JSON.parse(record.value ?? '{}') as {
        eventId: string;
        userId: string;
        timestamp: number;
        receivedAt: number;
      };
      expect(accepted.get(value.eventId)).toBe(value.userId);
      expect(record.key).toBe(value.userId);
      expect(record.partition).toBe(partitionForKey(value.userId, 12));
      expect(record.headers['kairos-event-id']).toBe(value.eventId);
      expect(record.headers['kairos-schema-version']).toBe('1');
      expect(record.headers['content-type']).toBe('application/json');
      expect(record.headers.traceparent).toMatch(
        /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
      );
      expect(value.timestamp).toBe(value.receivedAt);
    }
  });

  it('accepts the valid entries of a batch and reports the invalid ones by index', async () => {
    const response = await post('/v1/events/batch', {
      events: [
        { eventId: 'batch-ok-1', userId: 'erin', itemId: 'sku-2', type: 'click' },
        { eventId: 'batch-bad-1', userId: 'erin', itemId: 'sku-2', type: 'rating', value: 9 },
        {
          eventId: 'batch-ok-2',
          userId: 'erin',
          itemId: 'sku-3',
          type: 'rating',
          value: 4,
          timestamp: Date.now() - 1_000,
        },
        'not an event',
      ],
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      accepted: number;
      rejected: number;
      results: Array<{
        index: number;
        eventId: string | null;
        status: string;
        error?: { details: Array<{ field: string }> };
      }>;
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(2);
    expect(body.results.map((r) => [r.index, r.eventId, r.status])).toEqual([
      [0, 'batch-ok-1', 'accepted'],
      [1, 'batch-bad-1', 'rejected'],
      [2, 'batch-ok-2', 'accepted'],
      [3, null, 'rejected'],
    ]);
    expect(body.results[1]?.error?.details.map((d) => d.field)).toEqual(['value']);
    const records = await system.readTopic(Topic.Events, (r) =>
      r.some((x) => x.headers['kairos-event-id'] === 'batch-ok-2'),
    );
    const ids = records.map((r) => r.headers['kairos-event-id']);
    expect(ids).toEqual(expect.arrayContaining(['batch-ok-1', 'batch-ok-2']));
    expect(ids).not.toContain('batch-bad-1');
  });

  it.each([
    ['no key', null, 401, 'unauthenticated'],
    ['an unknown key', 'unknown-secret-0123456789', 401, 'unauthenticated'],
    ['a key without events:write', KEYS.reader, 403, 'forbidden'],
    ['a catalog key', KEYS.catalog, 403, 'forbidden'],
  ])('refuses events sent with %s', async (_case, key, status, code) => {
    const response = await post('/v1/events', { userId: 'u', itemId: 'i', type: 'click' }, key);
    expect(response.status).toBe(status);
    expect(((await response.json()) as ErrorResponse).error.code).toBe(code);
  });

  it('lets an admin key write events', async () => {
    expect(
      (await post('/v1/events', { userId: 'u', itemId: 'i', type: 'click' }, KEYS.admin)).status,
    ).toBe(202);
  });

  it('rate-limits per key with Retry-After, leaving other keys alone', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const response = await post(
        '/v1/events',
        { userId: 'rl', itemId: 'i', type: 'click' },
        KEYS.limited,
      );
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(4);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(
      (await post('/v1/events', { userId: 'rl', itemId: 'i', type: 'click' }, KEYS.writer)).status,
    ).toBe(202);
  });

  it.each([
    ['malformed JSON', '{"userId": ', {}, 400, 'malformed_body'],
    [
      'a non-JSON content type',
      'userId=u',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ],
    [
      'text/plain',
      '{"userId":"u"}',
      { 'content-type': 'text/plain' },
      415,
      'unsupported_media_type',
    ],
    [
      'a body over 1 MiB',
      JSON.stringify({
        events: [{ userId: 'u', itemId: 'i', type: 'click', sessionId: 'x'.repeat(1_100_000) }],
      }),
      {},
      413,
      'payload_too_large',
    ],
    [
      'a __proto__ key',
      '{"userId":"u","itemId":"i","type":"click","__proto__":{"isAdmin":true}}',
      {},
      400,
      'validation_failed',
    ],
    [
      'a nested constructor key',
      '{"userId":"u","itemId":"i","type":"click","context":{"constructor":"x"}}',
      {},
      400,
      'validation_failed',
    ],
    [
      'a Mongo operator as userId',
      '{"userId":{"$gt":""},"itemId":"i","type":"click"}',
      {},
      400,
      'validation_failed',
    ],
    ['an empty body', '', {}, 400, 'validation_failed'],
    ['a JSON array body', '[]', {}, 400, 'validation_failed'],
  ])('answers %s with the stable error body', async (_case, body, headers, status, code) => {
    const path = _case === 'a body over 1 MiB' ? '/v1/events/batch' : '/v1/events';
    const response = await post(path, body, KEYS.writer, headers);
    expect(response.status).toBe(status);
    const payload = (await response.json()) as ErrorResponse;
    expect(payload.error.code).toBe(code);
    expect(payload.error.message.length).toBeGreaterThan(0);
    expect(payload.error.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(payload)).toEqual(['error']);
  });

  it('names the offending field in validation errors', async () => {
    const response = await post('/v1/events', {
      userId: 'u',
      itemId: 'i',
      type: 'click',
      extra: true,
    });
    const payload = (await response.json()) as ErrorResponse;
    expect(response.status).toBe(400);
    expect(payload.error.details?.map((d) => d.field)).toEqual(['extra']);
  });

  it('refuses a batch over 1,000 events as a whole, naming the field', async () => {
    const events = Array.from({ length: 1_001 }, () => ({
      userId: 'u',
      itemId: 'i',
      type: 'view',
    }));
    const response = await post('/v1/events/batch', { events });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.details?.[0]?.field).toBe('events');
  });

  it('carries a Mongo-operator-looking context value inertly', async () => {
    const response = await post('/v1/events', {
      eventId: 'inert-1',
      userId: 'u9',
      itemId: 'i',
      type: 'click',
      context: { q: '{"$gt": ""}' },
    });
    expect(response.status).toBe(202);
    const records = await system.readTopic(Topic.Events, (r) =>
      r.some((x) => x.headers['kairos-event-id'] === 'inert-1'),
    );
    const record = records.find((r) => r.headers['kairos-event-id'] === 'inert-1');
    expect(JSON.parse(record?.value ?? '{}')).toMatchObject({ context: { q: '{"$gt": ""}' } });
  });

  it('publishes catalog upserts and tombstones to the compacted items topic keyed by itemId', async () => {
    const put = await fetch(`${system.url('ingest')}/v1/items/sku-9`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.catalog}` },
      body: JSON.stringify({
        title: 'Shoe',
        categories: ['shoes'],
        properties: { brand: 'Acme', price: 10 },
      }),
    });
    expect(put.status).toBe(202);
    expect(await put.json()).toMatchObject({
      itemId: 'sku-9',
      available: true,
      categories: ['shoes'],
      tags: [],
    });
    const del = await fetch(`${system.url('ingest')}/v1/items/sku-9`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${KEYS.catalog}` },
    });
    expect(del.status).toBe(202);
    const forbidden = await fetch(`${system.url('ingest')}/v1/items/sku-9`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${KEYS.writer}` },
    });
    expect(forbidden.status).toBe(403);
    const badId = await fetch(`${system.url('ingest')}/v1/items/${encodeURIComponent('$where')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.catalog}` },
      body: '{}',
    });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as ErrorResponse).error.details?.[0]?.field).toBe('itemId');

    const records = await system.readTopic(Topic.Items, (r) => r.length >= 2);
    expect(
      records.map((r) => [
        r.key,
        r.value === null ? null : (JSON.parse(r.value) as { title: string }).title,
      ]),
    ).toEqual([
      ['sku-9', 'Shoe'],
      ['sku-9', null],
    ]);
    expect(records[0]?.partition).toBe(partitionForKey('sku-9', 12));
  });

  it('serves OpenAPI docs without a key, with every public route documented', async () => {
    const response = await fetch(`${system.url('ingest')}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/events/batch', '/v1/items/{itemId}']),
    );
  });

  it('exposes request and event metrics', async () => {
    const text = await (await fetch(`${system.url('ingest')}/metrics`)).text();
    expect(
      metricValue(text, 'kairos_ingest_events_accepted_total', { endpoint: 'single' }),
    ).toBeGreaterThanOrEqual(5);
    expect(metricValue(text, 'kairos_ingest_events_accepted_total', { endpoint: 'batch' })).toBe(2);
    expect(
      metricValue(text, 'kairos_ingest_events_rejected_total', {
        endpoint: 'batch',
        reason: 'value',
      }),
    ).toBe(1);
    expect(
      metricValue(text, 'kairos_ingest_produce_seconds_count', { topic: 'events', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/events',
        status: '202',
      }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/events',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(2);
  });
});
