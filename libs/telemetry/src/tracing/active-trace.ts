import {
  type Context,
  context,
  createContextKey,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

/**
 * Work of a trace that sampling left out runs in a context holding the trace's ids under this
 * key instead of a non-recording span. Logs and downstream records still get the ids, but the
 * MongoDB and mongoose instrumentations (requireParentSpan) see no parent and skip the operation
 * at once, where a non-recording parent would cost them a span and its attributes each time.
 */
const UNSAMPLED_TRACE = createContextKey('kairos.unsampled-trace');

/** `base` (its baggage) with the unsampled trace `spanContext` instead of a span. */
export function unsampledTraceContext(
  spanContext: SpanContext,
  base: Context = ROOT_CONTEXT,
): Context {
  const withoutSpan = trace.getSpan(base) === undefined ? base : trace.deleteSpan(base);
  return withoutSpan.setValue(UNSAMPLED_TRACE, spanContext);
}

/**
 * Whether `parent` belongs to a trace that was not sampled. Its spans would not be recorded
 * either (parent-based sampling; a ratio sampler decides the same for the whole trace id), so
 * the helpers make none: no ids, no context switch for what sampling leaves out.
 */
export function inUnsampledTrace(parent: Context = context.active()): boolean {
  if (parent.getValue(UNSAMPLED_TRACE) !== undefined) return true;
  const span = trace.getSpan(parent);
  return span !== undefined && (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0;
}

/** The trace `active` belongs to, as a span context: its span's, or the unsampled trace's. */
export function traceSpanContext(active: Context): SpanContext | undefined {
  return (
    trace.getSpanContext(active) ?? (active.getValue(UNSAMPLED_TRACE) as SpanContext | undefined)
  );
}

/** The active trace's ids (for logs and responses), or null outside any trace. */
export function activeTraceIds(): { traceId: string; spanId: string; sampled: boolean } | null {
  const spanContext = traceSpanContext(context.active());
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return null;
  const { traceId, spanId, traceFlags } = spanContext;
  return { traceId, spanId, sampled: (traceFlags & TraceFlags.SAMPLED) !== 0 };
}

/** `00-<trace id>-<span id>-<flags>` with the sampled bit clear, read without parsing headers. */
const UNSAMPLED_TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f][02468ace]$/;

/** Whether `traceparent` names a trace sampling left out (nothing of it would be recorded). */
export function isUnsampledTraceparent(traceparent: string): boolean {
  return UNSAMPLED_TRACEPARENT.test(traceparent);
}
