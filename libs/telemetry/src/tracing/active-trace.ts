import { context, trace } from '@opentelemetry/api';

/** The active span's ids (for logs and responses), or null outside a recorded or propagated span. */
export function activeTraceIds(): { traceId: string; spanId: string; sampled: boolean } | null {
  const span = trace.getSpan(context.active());
  if (span === undefined) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return null;
  return { traceId, spanId, sampled: (traceFlags & 1) === 1 };
}
