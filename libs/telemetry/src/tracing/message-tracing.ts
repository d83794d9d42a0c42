import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import {
  inUnsampledTrace,
  isUnsampledTraceparent,
  traceSpanContext,
  unsampledTraceContext,
} from './active-trace';
import { endSpans, tracer } from './spans';
import { tracingEnabled } from './tracing-state';

/** W3C trace context and baggage headers: what crosses a message hop. */
export const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'] as const;

/** A record as any transport sees it: plain string headers (Kafka, the in-process log, ...). */
export interface TracedMessage {
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
  readonly offset?: string;
}

const BATCH_LINKS = createContextKey('kairos.batch.links');
/** The processing context of each consumed record, for the records derived from it. */
const processingContexts = new WeakMap<object, Context>();

/**
 * Producer side: each distinct parent (the active context, or the trace a message already
 * names in its `traceparent`) gets one `publish <topic>` span, whose context is injected into
 * the messages' headers. Resolves with `send`'s result, and records its failure on the spans.
 * `attributes` are added to the spans (a transport other than Kafka sets `messaging.system`).
 */
export async function tracePublish<M extends TracedMessage, T>(
  topic: string,
  messages: readonly M[],
  send: (traced: M[]) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  // Fast path for the common case at low sampling (ingest's records name their request's
  // unsampled trace): nothing to make, the headers already carry the trace on.
  if (!tracingEnabled() || messages.every(namesUnsampledTrace)) return send([...messages]);
  const active = context.active();
  const spans = new Map<
    string | undefined,
    { span: Span | null; headers: Record<string, string> }
  >();
  const traced = messages.map((message) => {
    // In a batch that mixes sampled and unsampled requests' records (nearly every coalesced
    // batch at a low ratio), those naming an unsampled trace go on as they are: no span, and
    // their headers already carry the trace.
    if (namesUnsampledTrace(message)) return message;
    const named = message.headers?.traceparent;
    let publish = spans.get(named);
    if (publish === undefined) {
      const parent =
        named === undefined ? active : propagation.extract(active, message.headers ?? {});
      if (inUnsampledTrace(parent)) {
        // No span to make: the record carries the unsampled trace on (its own headers, or the
        // active context's), so the trace id still travels for correlation.
        const headers: Record<string, string> = {};
        const unsampled = traceSpanContext(parent);
        if (named === undefined && unsampled !== undefined) {
          propagation.inject(trace.setSpanContext(parent, unsampled), headers);
        }
        publish = { span: null, headers };
      } else {
        const span = tracer().startSpan(
          `publish ${topic}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: { ...messagingAttributes(topic, 'publish'), ...attributes },
          },
          parent,
        );
        const headers: Record<string, string> = {};
        propagation.inject(trace.setSpan(parent, span), headers);
        publish = { span, headers };
      }
      spans.set(named, publish);
    }
    return { ...message, headers: { ...message.headers, ...publish.headers } };
  });
  const all = [...spans.values()].flatMap(({ span }) => (span === null ? [] : [span]));
  if (all.length === 0) return send(traced);
  for (const span of all) span.setAttribute('messaging.batch.message_count', messages.length);
  return endSpans(all, () => send(traced));
}

/**
 * Consumer side, for a batch of records handled together: each record gets a `process <topic>`
 * span, a child of the span that produced it; the handler runs in one `consume <topic>` span.
 * That batch span continues the trace of the first sampled record (so a lone event's trace
 * covers the whole batch work, and a batch is traced when any of its events is) and links to
 * every record's processing span (`activeBatchLinks()` gives those links to the batch's own
 * spans, such as one inference call serving many records).
 */
export async function traceBatch<M extends TracedMessage, T>(
  topic: string,
  messages: readonly M[],
  handle: () => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  if (!tracingEnabled() || messages.length === 0) return handle();
  const spans: Span[] = [];
  const links: Link[] = [];
  let parent: Context | undefined;
  let firstProcessing: Context | undefined;
  let firstUnsampled: Context | undefined;
  for (const message of messages) {
    const producer = propagation.extract(ROOT_CONTEXT, message.headers ?? {});
    const producerSpan = trace.getSpanContext(producer);
    if (producerSpan !== undefined && inUnsampledTrace(producer)) {
      // Produced in an unsampled trace: no processing span (it would not be recorded); the
      // batch links to the producer instead, and derived records pass its headers on.
      links.push({ context: producerSpan });
      firstUnsampled ??= unsampledTraceContext(producerSpan, producer);
      continue;
    }
    const span = tracer().startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...messagingAttributes(topic, 'process'),
          ...(message.partition === undefined
            ? {}
            : { 'messaging.destination.partition.id': String(message.partition) }),
          ...(message.offset === undefined ? {} : { 'messaging.kafka.offset': message.offset }),
          ...eventIdAttribute(message),
          ...transportAttributes(attributes),
        },
      },
      producer,
    );
    const processing = trace.setSpan(producer, span);
    processingContexts.set(message, processing);
    spans.push(span);
    links.push({ context: span.spanContext() });
    firstProcessing ??= processing;
    if (parent === undefined && span.isRecording()) parent = processing;
  }
  if (firstProcessing === undefined && firstUnsampled !== undefined) {
    return context.with(firstUnsampled, handle);
  }
  const batch = tracer().startSpan(
    `consume ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(topic, 'receive'),
        'messaging.batch.message_count': messages.length,
        ...attributes,
      },
      links,
    },
    parent ?? firstProcessing,
  );
  const batchContext = trace.setSpan(context.active(), batch).setValue(BATCH_LINKS, links);
  return endSpans([batch, ...spans], () => context.with(batchContext, handle));
}

/** Links to every record of the batch being handled (empty outside `traceBatch`). */
export function activeBatchLinks(): Link[] {
  return (context.active().getValue(BATCH_LINKS) as Link[] | undefined) ?? [];
}

/**
 * Trace headers for a record derived from a consumed one (a feature snapshot from an event):
 * the consumed record's processing span when tracing runs, its own trace headers otherwise, so
 * the trace id travels on even with tracing off.
 */
export function traceHeadersFrom(consumed: TracedMessage): Record<string, string> {
  const processing = tracingEnabled() ? processingContexts.get(consumed) : undefined;
  const headers: Record<string, string> = {};
  if (processing !== undefined) {
    propagation.inject(processing, headers);
    return headers;
  }
  for (const name of TRACE_HEADERS) {
    const value = consumed.headers?.[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

function namesUnsampledTrace(message: TracedMessage): boolean {
  const traceparent = message.headers?.traceparent;
  return traceparent !== undefined && isUnsampledTraceparent(traceparent);
}

function messagingAttributes(topic: string, operation: string): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
  };
}

/** The caller's `messaging.system` (the in-process log is not Kafka) for per-record spans too. */
function transportAttributes(attributes: Attributes): Attributes {
  const system = attributes['messaging.system'];
  return system === undefined ? {} : { 'messaging.system': system };
}

function eventIdAttribute(message: TracedMessage): Attributes {
  const eventId = message.headers?.['kairos-event-id'];
  return eventId === undefined ? {} : { 'kairos.event_id': eventId };
}
