import { context, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  activeBatchLinks,
  traceBatch,
  traceHeadersFrom,
  tracePublish,
  type TracedMessage,
} from './message-tracing';
import { activeTraceIds } from './active-trace';
import { withSpan } from './spans';
import { markTracingEnabled } from './tracing-state';
import { installTestTracing } from '../../../../test/support/test-tracing';

describe('message tracing helpers', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    // As deployed: a record's sampling decision follows its producer's.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const named = (name: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.name === name);
  const idOf = (span: ReadableSpan | undefined): string => span?.spanContext().spanId ?? 'none';

  let uninstallTracing: () => void = () => undefined;

  beforeAll(() => {
    uninstallTracing = installTestTracing(provider);
  });
  afterAll(() => {
    markTracingEnabled(false);
    uninstallTracing();
  });
  beforeEach(() => {
    exporter.reset();
    markTracingEnabled(true);
  });

  /** Two records published by two different traces, as a consumer receives them. */
  async function producedRecords(): Promise<
    Array<TracedMessage & { headers: Record<string, string> }>
  > {
    const records: Array<TracedMessage & { headers: Record<string, string> }> = [];
    for (const user of ['a', 'b']) {
      await withSpan(`request ${user}`, () =>
        tracePublish('events', [{ headers: { 'kairos-event-id': user } }], (traced) => {
          records.push(
            ...traced.map((message, i) => ({
              ...message,
              headers: { ...message.headers },
              offset: String(i),
            })),
          );
          return Promise.resolve();
        }),
      );
    }
    return records;
  }

  it('injects the publish span into the headers, a child of the active span', async () => {
    const [record] = await producedRecords();
    const [publish] = named('publish events');
    expect(record?.headers.traceparent).toBe(
      `00-${publish?.spanContext().traceId}-${idOf(publish)}-01`,
    );
    expect(publish?.parentSpanContext?.spanId).toBe(idOf(named('request a')[0]));
    expect(record?.headers['kairos-event-id']).toBe('a');
  });

  it('makes each record a child of its producer, runs the batch in the first one and links all', async () => {
    const records = await producedRecords();
    let links: ReturnType<typeof activeBatchLinks> = [];
    await traceBatch('events', records, async () => {
      links = activeBatchLinks();
      await withSpan('session.update', () => Promise.resolve());
    });
    const publishes = named('publish events');
    const processes = named('process events');
    expect(processes.map((span) => span.parentSpanContext?.spanId)).toEqual(publishes.map(idOf));
    expect(processes.map((span) => span.spanContext().traceId)).toEqual(
      publishes.map((span) => span.spanContext().traceId),
    );
    expect(processes[0]?.attributes['kairos.event_id']).toBe('a');
    const [batch] = named('consume events');
    expect(batch?.parentSpanContext?.spanId).toBe(idOf(processes[0]));
    expect(batch?.links.map((link) => link.context.spanId)).toEqual(processes.map(idOf));
    expect(links.map((link) => link.context.spanId)).toEqual(processes.map(idOf));
    expect(named('session.update')[0]?.parentSpanContext?.spanId).toBe(idOf(batch));
  });

  it('runs the batch in the trace of its first sampled record', async () => {
    const unsampled = { headers: { traceparent: `00-${'a'.repeat(32)}-${'1'.repeat(16)}-00` } };
    const sampled = { headers: { traceparent: `00-${'b'.repeat(32)}-${'2'.repeat(16)}-01` } };
    await traceBatch('events', [unsampled, sampled], () => Promise.resolve());
    const [batch] = named('consume events');
    expect(named('process events').map((span) => span.spanContext().traceId)).toEqual([
      'b'.repeat(32),
    ]);
    expect(batch?.spanContext().traceId).toBe('b'.repeat(32));
    expect(batch?.links).toHaveLength(2);
  });

  it('runs a batch of unsampled records in their trace without making a span', async () => {
    const unsampled = { headers: { traceparent: `00-${'c'.repeat(32)}-${'3'.repeat(16)}-00` } };
    let inside: ReturnType<typeof activeTraceIds> = null;
    let spanInContext = true;
    let derived: Record<string, string> = {};
    await traceBatch('events', [unsampled], async () => {
      inside = activeTraceIds();
      spanInContext = trace.getSpan(context.active()) !== undefined;
      derived = traceHeadersFrom(unsampled);
      await withSpan('session.update', () => Promise.resolve());
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
    // The logs keep the ids; instrumentations needing a parent span find none and skip.
    expect(inside).toEqual({ traceId: 'c'.repeat(32), spanId: '3'.repeat(16), sampled: false });
    expect(spanInContext).toBe(false);
    expect(derived).toEqual(unsampled.headers);
  });

  it('continues a consumed record on a derived one through its processing span', async () => {
    const records = await producedRecords();
    let derived: Record<string, string> = {};
    await traceBatch('events', records, () => {
      derived = traceHeadersFrom(records[1] ?? {});
      return Promise.resolve();
    });
    const processB = named('process events')[1];
    expect(derived.traceparent).toBe(`00-${processB?.spanContext().traceId}-${idOf(processB)}-01`);
  });

  it('marks the spans failed when the work fails, and rethrows', async () => {
    const records = await producedRecords();
    await expect(
      traceBatch('events', records, () => Promise.reject(new Error('mongo down'))),
    ).rejects.toThrow('mongo down');
    expect(named('consume events')[0]?.status).toMatchObject({
      code: 2,
      message: 'Error: mongo down',
    });
  });

  it('passes records of unsampled traces through unchanged, with no span', async () => {
    const unsampled = {
      headers: { traceparent: `00-${'d'.repeat(32)}-${'4'.repeat(16)}-00`, 'kairos-event-id': 'x' },
    };
    const sent: TracedMessage[][] = [];
    await tracePublish('events', [unsampled, unsampled], (traced) => {
      sent.push(traced);
      return Promise.resolve();
    });
    expect(sent).toEqual([[unsampled, unsampled]]);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('in a batch mixing sampled and unsampled records, spans only the sampled ones', async () => {
    const unsampled = {
      headers: { traceparent: `00-${'e'.repeat(32)}-${'5'.repeat(16)}-00`, 'kairos-event-id': 'u' },
    };
    const sampledParent = `00-${'f'.repeat(32)}-${'6'.repeat(16)}-01`;
    const sampled = { headers: { traceparent: sampledParent, 'kairos-event-id': 's' } };
    const sent: TracedMessage[][] = [];
    await tracePublish('events', [unsampled, sampled], (traced) => {
      sent.push(traced);
      return Promise.resolve();
    });
    const [publish, ...others] = named('publish events');
    expect(others).toEqual([]);
    expect(publish?.spanContext().traceId).toBe('f'.repeat(32));
    expect(sent[0]?.[0]).toBe(unsampled);
    expect(sent[0]?.[1]?.headers?.traceparent).toBe(`00-${'f'.repeat(32)}-${idOf(publish)}-01`);
  });

  it('with tracing off only passes the trace headers through', async () => {
    const records = await producedRecords();
    markTracingEnabled(false);
    exporter.reset();
    const sent: TracedMessage[][] = [];
    await traceBatch('events', records, async () => {
      await tracePublish(
        'session-features',
        [{ headers: traceHeadersFrom(records[0] ?? {}) }],
        (traced) => {
          sent.push(traced);
          return Promise.resolve();
        },
      );
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(sent[0]?.[0]?.headers).toEqual({ traceparent: records[0]?.headers.traceparent });
  });
});
