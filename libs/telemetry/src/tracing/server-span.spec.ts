import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { Logger } from '@nestjs/common';
import { type Server } from 'node:http';
import fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import {
  ENTERS_TRACE_ITSELF,
  inRequestTrace,
  installHttpPolicies,
  type KairosRequest,
  requestTrace,
} from '@kairos/http';
import { activeTraceIds } from './active-trace';
import { tracePublish } from './message-tracing';
import { serverSpanTracer } from './server-span';
import { withSpan, withSpanSync } from './spans';
import { PooledIdGenerator } from './trace-ids';
import { markTracingEnabled, useTraceSampling } from './tracing-state';
import { installTestTracing } from '../../../../test/support/test-tracing';

/** What the handler saw from inside the request, as the app's logs and records would. */
interface Seen {
  ids: ReturnType<typeof activeTraceIds>;
  spanInContext: boolean;
  published: Record<string, string> | undefined;
}

const SAMPLED_PARENT = `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`;
const UNSAMPLED_PARENT = `00-${'b'.repeat(32)}-${'2'.repeat(16)}-00`;

describe('server spans made by the trace hooks', () => {
  const exporter = new InMemorySpanExporter();
  // Parent-based as deployed; the root decision (the ratio's outcome) is switched per test.
  let rootSampler: Sampler = new AlwaysOnSampler();
  let rootSamples = true;
  const root: Sampler = {
    shouldSample: (...args) =>
      rootSamples ? rootSampler.shouldSample(...args) : { decision: SamplingDecision.NOT_RECORD },
    toString: () => 'switchable root',
  };
  // Shared by the SDK's tracer and the server spans, as bootstrap.ts shares them.
  const sampling = { sampler: new ParentBasedSampler({ root }), ids: new PooledIdGenerator() };
  const provider = new BasicTracerProvider({
    sampler: sampling.sampler,
    idGenerator: sampling.ids,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  let seen: Seen | undefined;

  /** The app's own HTTP policies (installHttpPolicies) around three routes. */
  async function app(tracing: boolean, enterContext = true): Promise<Server> {
    const server = fastify();
    installHttpPolicies(
      server,
      { logLevel: 'info' },
      tracing ? serverSpanTracer({ enterContext }) : null,
    );
    server.post('/items/:itemId', async (req, reply) => {
      // Past an await, as in a Nest handler after guards and pipes.
      await Promise.resolve();
      const ids = activeTraceIds();
      const spanInContext = trace.getSpan(context.active()) !== undefined;
      let published: Record<string, string> | undefined;
      await withSpan('child', () =>
        tracePublish('events', [{ headers: {} }], (traced) => {
          published = { ...traced[0]?.headers };
          return Promise.resolve();
        }),
      );
      seen = { ids, spanInContext, published };
      return reply
        .status(202)
        .send({ ok: true, trace: (req as KairosRequest).kairosTrace?.traceId });
    });
    // A handler that takes its trace from the request, as ingest's do.
    server.post('/events', (req, reply) => {
      const trace = requestTrace(req as KairosRequest);
      withSpanSync('validate', () => undefined, { parent: trace });
      seen = {
        ids: activeTraceIds(),
        spanInContext: context.active() !== ROOT_CONTEXT,
        published: undefined,
      };
      return reply.status(202).send({ ok: true });
    });
    // A handler that enters its trace only for the work that needs it, as the GET of
    // recommendations does.
    server.get('/own/:id', { config: ENTERS_TRACE_ITSELF }, async (req) => {
      await Promise.resolve();
      const before = context.active();
      const inside = await inRequestTrace(req, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await withSpan('own-child', () => Promise.resolve());
        return activeTraceIds();
      });
      seen = { ids: inside, spanInContext: before !== ROOT_CONTEXT, published: undefined };
      return { ok: true };
    });
    // Still working in its trace after other requests (and their contexts) have ended.
    server.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      seen = { ids: activeTraceIds(), spanInContext: false, published: undefined };
      return { ok: true };
    });
    server.get('/boom', (_req, reply) => reply.status(500).send({ error: 'boom' }));
    server.get('/health/live', () => ({ status: 'ok' }));
    await server.ready();
    servers.push(server);
    return server.server;
  }
  const servers: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  const spansNamed = (name: string) =>
    exporter.getFinishedSpans().filter((span) => span.name === name);

  let uninstallTracing: () => void = () => undefined;

  beforeAll(() => {
    Logger.overrideLogger(['error']);
    uninstallTracing = installTestTracing(provider);
    useTraceSampling(sampling);
    markTracingEnabled(true);
  });
  afterAll(() => {
    markTracingEnabled(false);
    useTraceSampling(null);
    uninstallTracing();
  });
  beforeEach(() => {
    exporter.reset();
    rootSamples = true;
    rootSampler = new AlwaysOnSampler();
    seen = undefined;
  });

  it('records a sampled request as a server span named after its route, with its work inside', async () => {
    const response = await request(await app(true))
      .post('/items/sku-1?x=1')
      .set('user-agent', 'spec')
      .send({ a: 1 })
      .expect(202);
    const [server] = spansNamed('POST /items/:itemId');
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/items/:itemId',
      'url.path': '/items/sku-1',
      'http.response.status_code': 202,
      'user_agent.original': 'spec',
    });
    const { traceId, spanId } = server?.spanContext() ?? { traceId: '', spanId: '' };
    expect(response.headers['x-trace-id']).toBe(traceId);
    expect(response.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    expect(seen?.ids).toEqual({ traceId, spanId, sampled: true });
    const [child] = spansNamed('child');
    expect(child?.parentSpanContext?.spanId).toBe(spanId);
    expect(spansNamed('publish events')[0]?.parentSpanContext?.spanId).toBe(
      child?.spanContext().spanId,
    );
  });

  it("honours a caller's sampled traceparent even when the ratio would not sample", async () => {
    rootSamples = false;
    await request(await app(true))
      .post('/items/sku-1')
      .set('traceparent', SAMPLED_PARENT)
      .expect(202);
    const [server] = spansNamed('POST /items/:itemId');
    expect(server?.spanContext().traceId).toBe('a'.repeat(32));
    expect(server?.parentSpanContext?.spanId).toBe('1'.repeat(16));
  });

  it("honours a caller's unsampled traceparent: ids for correlation, no span, no parent for instrumentations", async () => {
    const response = await request(await app(true))
      .post('/items/sku-1')
      .set('traceparent', UNSAMPLED_PARENT)
      .expect(202);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(response.headers['x-trace-id']).toBe('b'.repeat(32));
    expect(response.headers.traceparent).toMatch(
      new RegExp(`^00-${'b'.repeat(32)}-[0-9a-f]{16}-00$`),
    );
    expect(seen?.ids).toMatchObject({ traceId: 'b'.repeat(32), sampled: false });
    // MongoDB/mongoose instrumentations with requireParentSpan find no span and skip at once.
    expect(seen?.spanInContext).toBe(false);
    expect(seen?.published?.traceparent).toMatch(
      new RegExp(`^00-${'b'.repeat(32)}-[0-9a-f]{16}-00$`),
    );
  });

  it('gives an unsampled new trace an id of its own and records nothing', async () => {
    rootSamples = false;
    const response = await request(await app(true))
      .post('/items/sku-1')
      .expect(202);
    const traceId = String(response.headers['x-trace-id']);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(response.body).toEqual({ ok: true, trace: traceId });
    expect(seen?.ids).toMatchObject({ traceId, sampled: false });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('samples a new trace by the ratio on the trace id it answers with, and the span keeps that id', async () => {
    const ratio = new TraceIdRatioBasedSampler(0.5);
    const asked = new Set<string>();
    rootSampler = {
      shouldSample: (parent, traceId) => {
        asked.add(traceId);
        return ratio.shouldSample(parent, traceId);
      },
      toString: () => 'recording ratio',
    };
    const server = await app(true);
    const answered = new Map<string, string>();
    for (let i = 0; i < 40; i += 1) {
      const response = await request(server).get('/boom').expect(500);
      const [, traceId = '', , flags = ''] = String(response.headers.traceparent).split('-');
      answered.set(traceId, flags);
    }
    // No id was sampled only to be replaced: the SDK's span took the id the decision was on.
    expect([...asked].filter((traceId) => !answered.has(traceId))).toEqual([]);
    const recorded = new Set(spansNamed('GET /boom').map((span) => span.spanContext().traceId));
    for (const [traceId, flags] of answered) {
      const sampled = ratio.shouldSample(ROOT_CONTEXT, traceId).decision;
      const expected = sampled === SamplingDecision.RECORD_AND_SAMPLED;
      // The ratio's verdict on the answered id, the flag sent back and the span all agree.
      expect({ traceId, flags, recorded: recorded.has(traceId) }).toEqual({
        traceId,
        flags: expected ? '01' : '00',
        recorded: expected,
      });
    }
    // Both outcomes occurred (40 draws at 0.5: all alike has odds of 2 in 10^12).
    expect(recorded.size).toBeGreaterThan(0);
    expect(recorded.size).toBeLessThan(answered.size);
  });

  it('without entering a context, gives handlers the trace through the request', async () => {
    const response = await request(await app(true, false))
      .post('/events')
      .expect(202);
    const [server] = spansNamed('POST /events');
    const [validate] = spansNamed('validate');
    expect(response.headers['x-trace-id']).toBe(server?.spanContext().traceId);
    expect(validate?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(validate?.parentSpanContext?.isRemote).toBe(false);
    expect(seen).toMatchObject({ ids: null, spanInContext: false });
    // Unsampled: ids on the response, nothing recorded.
    rootSamples = false;
    exporter.reset();
    const unsampled = await request(await app(true, false))
      .post('/events')
      .expect(202);
    expect(unsampled.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('on a route that enters its trace itself, runs only the work given to inRequestTrace in it', async () => {
    const server = await app(true);
    const response = await request(server).get('/own/1').expect(200);
    const [span] = spansNamed('GET /own/:id');
    const [child] = spansNamed('own-child');
    expect(seen?.spanInContext).toBe(false);
    expect(seen?.ids?.traceId).toBe(span?.spanContext().traceId);
    expect(response.headers['x-trace-id']).toBe(span?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
    // Unsampled: the work still runs in the trace (its ids), and nothing is recorded.
    rootSamples = false;
    exporter.reset();
    const unsampled = await request(server).get('/own/2').expect(200);
    expect(seen?.ids).toMatchObject({ traceId: unsampled.headers['x-trace-id'], sampled: false });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("keeps a request's context until its response has gone, whatever other requests do", async () => {
    const server = await app(true);
    // The quick requests start and end (entering and leaving their contexts) while /slow waits.
    const slow = request(server).get('/slow').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await request(server).get('/own/1').expect(200);
    await request(server).get('/own/2').expect(200);
    const response = await slow;
    expect(seen?.ids?.traceId).toBe(response.headers['x-trace-id']);
  });

  it('marks a server error failed, and leaves probes untraced but correlated', async () => {
    await request(await app(true))
      .get('/boom')
      .expect(500);
    expect(spansNamed('GET /boom')[0]?.status.code).toBe(2);
    const probe = await request(await app(true))
      .get('/health/live')
      .expect(200);
    expect(probe.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('with tracing off continues the caller trace id without any span', async () => {
    markTracingEnabled(false);
    const response = await request(await app(false))
      .post('/items/sku-1')
      .set('traceparent', SAMPLED_PARENT)
      .expect(202);
    markTracingEnabled(true);
    expect(response.headers['x-trace-id']).toBe('a'.repeat(32));
    expect(response.headers.traceparent).toMatch(
      new RegExp(`^00-${'a'.repeat(32)}-[0-9a-f]{16}-01$`),
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
