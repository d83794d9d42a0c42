import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually } from '../support/infra';
import { metricValue } from '../support/metrics';
import { describeEachMode, startSystemProcesses, type SystemProcesses } from '../support/system';

const KEYS = { writer: 'rec-writer-key-0123456789', reader: 'rec-reader-key-0123456789' };

interface Answer {
  userId: string;
  items: Array<{ itemId: string; score: number }>;
  model: { name: string; version: string } | null;
  asOfEventId: string | null;
  computedAt: string;
  source: 'precomputed' | 'realtime' | 'fallback';
}

/** Demo catalog lines: the default model was trained on these items. */
function demoCatalog(): Array<{ itemId: string; categories: string[] }> {
  return readFileSync(resolve(__dirname, '../../demo/catalog.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { itemId: string; categories: string[] });
}

/** Ports of the processes: embedded uses the first, distributed three from the second. */
const FIRST_PORT = { embedded: 3760, distributed: 3761 } as const;

/**
 * The whole pipeline as processes started from dist/, as deployed: POST to ingest → feature →
 * recommender (committed default model) → GET. Distributed: three processes on the real broker
 * and MongoDB-protocol server; embedded: the one process on its in-process log and memory stores.
 */
const ANSWER_FIELDS = ['asOfEventId', 'computedAt', 'items', 'model', 'source', 'userId'];

describeEachMode('recommendations end to end', (mode) => {
  jest.setTimeout(180_000);
  let system: SystemProcesses;
  const catalog = demoCatalog();
  const outdoor = catalog.filter((item) => item.categories.includes('Outdoor'));

  beforeAll(async () => {
    system = await startSystemProcesses(
      mode,
      'recs',
      {
        KAIROS_API_KEYS: `writer|${KEYS.writer}|events:write,items:write;reader|${KEYS.reader}|recommendations:read`,
        MODEL_DIR: resolve(__dirname, '../../models'),
        // Memory keeps the first 8 items of each list: k = 20 below must read the whole list.
        RECOMMENDATION_CACHE_ITEMS: '8',
      },
      FIRST_PORT[mode],
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  const get = (path: string, key: string | null = KEYS.reader) =>
    fetch(`${system.url('recommender')}${path}`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });

  const post = async (path: string, body: unknown, method = 'POST'): Promise<Response> =>
    fetch(`${system.url('ingest')}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.writer}` },
      body: JSON.stringify(body),
    });

  it('reflects a POSTed event (asOfEventId), excluding seen and unavailable items', async () => {
    const seen = outdoor.slice(0, 4).map((item) => item.itemId);
    const unavailable = outdoor[4]?.itemId ?? 'missing';
    const put = await post(
      `/v1/items/${unavailable}`,
      { title: 'Withdrawn', categories: ['Outdoor'], available: false },
      'PUT',
    );
    expect(put.status).toBeLessThan(300);
    await eventually(
      async () => {
        const response = await get(`/v1/items/${unavailable}`);
        return response.status === 200 ? true : undefined;
      },
      { what: 'the catalog update to reach the recommender' },
    );

    let lastEventId = '';
    for (const itemId of seen) {
      const response = await post('/v1/events', { userId: 'rec-user', itemId, type: 'click' });
      expect(response.status).toBe(202);
      lastEventId = ((await response.json()) as { eventId: string }).eventId;
    }
    const answer = await eventually(
      async () => {
        const response = await get('/v1/recommendations/rec-user?k=20');
        if (response.status !== 200) return undefined;
        const body = (await response.json()) as Answer;
        return body.asOfEventId === lastEventId ? body : undefined;
      },
      { timeoutMs: 60_000, what: 'recommendations as of the last POSTed event' },
    );
    expect(answer.source).toBe('precomputed');
    // Every documented field, and only those (the route's serializer writes from its schema).
    expect(Object.keys(answer).sort()).toEqual(ANSWER_FIELDS);
    expect(Object.keys(answer.items[0] ?? {}).sort()).toEqual(['itemId', 'score']);
    expect(answer.model).toEqual({ name: 'kairos-default', version: '1' });
    expect(answer.items).toHaveLength(20);
    const ids = answer.items.map((item) => item.itemId);
    for (const itemId of [...seen, unavailable]) expect(ids).not.toContain(itemId);
    // The default model learned categories: after four Outdoor clicks, Outdoor dominates.
    const outdoorIds = new Set(outdoor.map((item) => item.itemId));
    expect(ids.filter((id) => outdoorIds.has(id)).length).toBeGreaterThanOrEqual(10);

    const filtered = (await (
      await get(`/v1/recommendations/rec-user?k=5&exclude=${ids[0]},${ids[1]}`)
    ).json()) as Answer;
    expect(filtered.items.map((item) => item.itemId)).toEqual(ids.slice(2, 7));

    // An item withdrawn after a GET leaves the next one: a repeated GET may be answered from
    // bytes made before, but only while the catalog's availability is unchanged.
    const first = await get('/v1/recommendations/rec-user?k=7');
    const again = await get('/v1/recommendations/rec-user?k=7');
    const head = await fetch(`${system.url('recommender')}/v1/recommendations/rec-user?k=7`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${KEYS.reader}` },
    });
    const firstBody = await first.text();
    for (const response of [first, again, head]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(firstBody)));
    }
    expect(await again.text()).toBe(firstBody);
    expect(await head.text()).toBe('');
    expect((JSON.parse(firstBody) as Answer).items).toEqual(answer.items.slice(0, 7));
    const repeated = (await (await get('/v1/recommendations/rec-user?k=20')).json()) as Answer;
    expect(repeated).toEqual(answer);
    const withdrawn = ids[0] ?? 'missing';
    const withdraw = await post(
      `/v1/items/${withdrawn}`,
      { title: 'Withdrawn later', categories: ['Outdoor'], available: false },
      'PUT',
    );
    expect(withdraw.status).toBeLessThan(300);
    const afterWithdrawal = await eventually(
      async () => {
        const body = (await (await get('/v1/recommendations/rec-user?k=20')).json()) as Answer;
        return body.items.some((item) => item.itemId === withdrawn) ? undefined : body;
      },
      { what: 'the withdrawn item to leave the answer' },
    );
    // The rest move up one place, and the list's next item fills the twentieth.
    expect(afterWithdrawal.items).toHaveLength(20);
    expect(afterWithdrawal.items.slice(0, 19).map((item) => item.itemId)).toEqual(ids.slice(1));

    const metrics = await (await fetch(`${system.url('recommender')}/metrics`)).text();
    const model = { model: 'kairos-default', version: '1' };
    expect(metricValue(metrics, 'kairos_model_inference_seconds_count', model)).toBeGreaterThan(0);
    expect(metricValue(metrics, 'kairos_recommender_inference_batch_users_count')).toBeGreaterThan(
      0,
    );
    expect(metricValue(metrics, 'kairos_recommender_freshness_seconds_count')).toBeGreaterThan(0);
    expect(
      metricValue(metrics, 'kairos_recommender_served_total', { source: 'precomputed' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      metricValue(metrics, 'kairos_recommender_embedding_rows_total', { origin: 'local' }),
    ).toBeGreaterThan(0);
  });

  it('answers an unknown user with the fallback, still 200', async () => {
    const response = await get('/v1/recommendations/nobody-knows-me?k=7');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Answer;
    expect(body.source).toBe('fallback');
    expect(body.items.length).toBeLessThanOrEqual(7);
    expect(Object.keys(body).sort()).toEqual(ANSWER_FIELDS);
    expect(body.model).toBeNull();
    expect(body.asOfEventId).toBeNull();
  });

  it('names the parameter in a 400 and requires recommendations:read', async () => {
    for (const [query, field] of [
      ['k=0', 'k'],
      ['k=101', 'k'],
      ['k=ten', 'k'],
      ['exclude=a%20b', 'exclude'],
      ['category=%24where', 'category'],
    ] as const) {
      const response = await get(`/v1/recommendations/rec-user?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { details: Array<{ field: string }> } };
      expect(body.error.details.map((issue) => issue.field)).toContain(field);
    }
    expect((await get('/v1/recommendations/rec-user', null)).status).toBe(401);
    expect((await get('/v1/recommendations/rec-user', KEYS.writer)).status).toBe(403);
  });

  it('has no demo page while auth is on', async () => {
    for (const path of ['/', '/demo/demo.js', '/v1/demo/catalog', '/v1/demo/users/u1/updates']) {
      const response = await get(path, null);
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain('KAIROS_AUTH=off');
    }
  });
});
