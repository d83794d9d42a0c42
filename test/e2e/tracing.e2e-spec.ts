import { resolve } from 'node:path';
import { type AppProcess, startAppProcess } from '../support/app-process';
import {
  describeWithInfra,
  eventually,
  requireEnv,
  scopedMongoUri,
  uniqueTestPrefix,
} from '../support/infra';
import { dashboardQueries, exposedSeries } from '../support/grafana-dashboard';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';

/** The spans from the POST to the recommendation write, each the parent of the next. */
const EXPECTED_CHAIN: ReadonlyArray<readonly [service: string, name: string]> = [
  ['kairos-ingest', 'POST /v1/events'],
  ['kairos-ingest', 'publish events'],
  ['kairos-feature', 'process events'],
  ['kairos-feature', 'publish session-features'],
  ['kairos-recommender', 'process session-features'],
  ['kairos-recommender', 'consume session-features'],
  ['kairos-recommender', 'recommendation.write'],
];

/**
 * The three apps as separate processes exporting OTLP/JSON to a test receiver, on the real broker
 * and MongoDB-protocol server: one POSTed event must come back as one trace across the apps.
 */
describeWithInfra('tracing end to end', ['kafka', 'mongo'], () => {
  jest.setTimeout(180_000);
  const prefix = uniqueTestPrefix('trace');
  const receiver = new OtlpReceiver();
  const apps: AppProcess[] = [];
  let ingest: AppProcess;

  beforeAll(async () => {
    const endpoint = await receiver.start(3710);
    const env = {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: scopedMongoUri(prefix),
      KAFKA_TOPIC_PREFIX: prefix,
      KAIROS_AUTH: 'off',
      MODEL_DIR: resolve(__dirname, '../../models'),
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    };
    ingest = await startAppProcess('ingest', env, 3711);
    apps.push(ingest);
    apps.push(await startAppProcess('feature', env, 3712));
    apps.push(await startAppProcess('recommender', env, 3713));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await receiver.stop();
  });

  it('follows one POSTed event through ingest, feature and recommender in one trace', async () => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'trace-user', itemId: 'trace-item', type: 'click' }),
    });
    expect(response.status).toBe(202);
    const traceId = response.headers.get('x-trace-id') ?? '';
    expect(response.headers.get('traceparent')).toMatch(
      new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
    );

    // Spans leave each app in batches every few seconds, each app on its own schedule: wait
    // until the last hop's write and the root have arrived and no span's parent is missing.
    const spans = await eventually(
      () => {
        const found = receiver.trace(traceId);
        const ids = new Set(found.map((span) => span.spanId));
        const complete =
          found.some((span) => span.name === 'recommendation.write') &&
          found.some((span) => span.parentSpanId === '') &&
          found.every((span) => span.parentSpanId === '' || ids.has(span.parentSpanId));
        return complete ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `the complete trace ${traceId}` },
    );
    const byId = new Map(spans.map((span) => [span.spanId, span]));

    // One tree: a single root (the POST), and every other span's parent is in the trace.
    const roots = spans.filter((span) => span.parentSpanId === '');
    expect(roots.map((span) => [span.service, span.name])).toEqual([
      ['kairos-ingest', 'POST /v1/events'],
    ]);
    expect(
      spans.filter((span) => span.parentSpanId !== '' && !byId.has(span.parentSpanId)),
    ).toEqual([]);

    // The hops in order: walking up from the recommendation write passes each expected span.
    const write = spans.find((span) => span.name === 'recommendation.write') as ReceivedSpan;
    const ancestry = ancestorsOf(write, byId).reverse();
    const chain = ancestry.filter((span) =>
      EXPECTED_CHAIN.some(([service, name]) => span.service === service && span.name === name),
    );
    expect(chain.map((span) => [span.service, span.name])).toEqual(EXPECTED_CHAIN);
    for (let i = 1; i < ancestry.length; i++) {
      expect(ancestry[i]?.startNanos).toBeGreaterThanOrEqual(ancestry[i - 1]?.startNanos ?? 0n);
    }

    // The work itself is in the trace: validation, the session update and its MongoDB write.
    const names = new Set(spans.map((span) => `${span.service} ${span.name}`));
    for (const expected of [
      'kairos-ingest ingest.validate',
      'kairos-feature consume events',
      'kairos-feature session.update',
      'kairos-recommender embedding.update',
      'kairos-recommender onnx.run',
    ]) {
      expect({ expected, present: names.has(expected) }).toEqual({ expected, present: true });
    }
    const sessionUpdate = spans.find((span) => span.name === 'session.update') as ReceivedSpan;
    expect(
      spans.some(
        (span) => span.scope.includes('mongodb') && ancestorsOf(span, byId).includes(sessionUpdate),
      ),
    ).toBe(true);
    // MongoDB spans record the command's shape, bounded, and none of its values.
    const statements = spans
      .filter((span) => span.scope.includes('mongodb'))
      .map((span) => span.attributes['db.query.text']);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(typeof statement).toBe('string');
      expect(String(statement).length).toBeLessThanOrEqual(1_000);
      expect(String(statement)).not.toMatch(/trace-user|trace-item/);
    }

    // The batched inference links to the record it served and names the model.
    const processed = spans.filter((span) => span.name === 'process session-features');
    const inference = spans.filter((span) => span.name === 'onnx.run');
    const served = inference.find((span) =>
      processed.every((record) =>
        span.links.some((link) => link.traceId === traceId && link.spanId === record.spanId),
      ),
    );
    expect(served?.attributes).toMatchObject({
      'kairos.model.name': 'kairos-default',
      'kairos.inference.batch_size': 1,
    });
    expect(served?.links.length).toBeGreaterThanOrEqual(processed.length);

    // Every hop logged inside the trace, with its ids.
    for (const app of apps) {
      const lines = app.output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { trace_id?: string; span_id?: string });
      const inTrace = lines.filter((line) => line.trace_id === traceId);
      expect(inTrace.length).toBeGreaterThan(0);
      expect(inTrace.every((line) => line.span_id !== undefined && byId.has(line.span_id))).toBe(
        true,
      );
    }
  });

  it('answers an error with the trace id of the recorded server span', async () => {
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'trace-user' }),
    });
    expect(response.status).toBe(400);
    const traceId = response.headers.get('x-trace-id') ?? '';
    const body = (await response.json()) as { error: { traceId?: string } };
    expect(body.error.traceId).toBe(traceId);
    const root = await eventually(
      () => receiver.trace(traceId).find((span) => span.parentSpanId === ''),
      { timeoutMs: 30_000, intervalMs: 250, what: `the server span of ${traceId}` },
    );
    expect(root).toMatchObject({ service: 'kairos-ingest', name: 'POST /v1/events' });
    // (old or stable HTTP semantic conventions, whichever the instrumentation emits)
    expect(
      root.attributes['http.status_code'] ?? root.attributes['http.response.status_code'],
    ).toBe(400);
  });

  it('exports every series the Grafana dashboard queries', async () => {
    const exposed = new Set<string>();
    for (const app of apps) {
      const response = await fetch(`${app.baseUrl}/metrics`);
      for (const name of exposedSeries(await response.text())) exposed.add(name);
    }
    expect(dashboardQueries().filter(({ metric }) => !exposed.has(metric))).toEqual([]);
  });
});

function ancestorsOf(span: ReceivedSpan, byId: ReadonlyMap<string, ReceivedSpan>): ReceivedSpan[] {
  const chain = [span];
  for (
    let parent = byId.get(span.parentSpanId);
    parent !== undefined;
    parent = byId.get(parent.parentSpanId)
  ) {
    chain.push(parent);
  }
  return chain;
}
