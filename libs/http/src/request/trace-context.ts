import { randomHex } from './random-ids';

/** W3C trace context of one request: what we log, answer with, and put on Kafka records. */
export interface RequestTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceparent: string;
  readonly tracestate?: string;
  /** The caller's W3C `baggage`, passed on to the records the request produces. */
  readonly baggage?: string;
}

/** W3C limit on a `baggage` header; a longer one is not passed on. */
const MAX_BAGGAGE_LENGTH = 8_192;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Continues the caller's trace when it sent a valid `traceparent`, otherwise starts one, so
 * every request has a trace id to correlate logs, error bodies and downstream Kafka records.
 * With tracing on, the trace hook uses the server span's ids instead (the same kind).
 */
export function traceFromHeaders(
  traceparent: unknown,
  tracestate: unknown,
  baggage?: unknown,
): RequestTrace {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim()) : null;
  const traceId = match?.[1] !== undefined && !/^0+$/.test(match[1]) ? match[1] : randomHex(16);
  const flags = match?.[3] ?? '01';
  const spanId = randomHex(8);
  return {
    traceId,
    spanId,
    traceparent: `00-${traceId}-${spanId}-${flags}`,
    tracestate: typeof tracestate === 'string' && tracestate.length <= 512 ? tracestate : undefined,
    baggage: acceptedBaggage(baggage),
  };
}

/** The caller's `baggage` header when it is one string within the W3C length limit. */
export function acceptedBaggage(baggage: unknown): string | undefined {
  return typeof baggage === 'string' && baggage.length <= MAX_BAGGAGE_LENGTH ? baggage : undefined;
}

/** The trace headers of a record produced for the request: its trace, state and baggage. */
export function recordTraceHeaders(trace: RequestTrace): Record<string, string> {
  return {
    traceparent: trace.traceparent,
    ...(trace.tracestate !== undefined ? { tracestate: trace.tracestate } : {}),
    ...(trace.baggage !== undefined ? { baggage: trace.baggage } : {}),
  };
}

/** The request's trace, set by the trace hook; a fresh one if the hook did not run. */
export function requestTrace(request: { kairosTrace?: RequestTrace | null }): RequestTrace {
  return request.kairosTrace ?? traceFromHeaders(undefined, undefined);
}
