import { randomHex } from './random-ids';

/** W3C trace context of one request: what we log, answer with, and put on Kafka records. */
export interface RequestTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceparent: string;
  readonly tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Continues the caller's trace when it sent a valid `traceparent`, otherwise starts one, so
 * every request has a trace id to correlate logs, error bodies and downstream Kafka records.
 * With tracing on, the trace hook uses the server span's ids instead (the same kind).
 */
export function traceFromHeaders(traceparent: unknown, tracestate: unknown): RequestTrace {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim()) : null;
  const traceId = match?.[1] !== undefined && !/^0+$/.test(match[1]) ? match[1] : randomHex(16);
  const flags = match?.[3] ?? '01';
  const spanId = randomHex(8);
  return {
    traceId,
    spanId,
    traceparent: `00-${traceId}-${spanId}-${flags}`,
    tracestate: typeof tracestate === 'string' && tracestate.length <= 512 ? tracestate : undefined,
  };
}

/** The request's trace, set by the trace hook; a fresh one if the hook did not run. */
export function requestTrace(request: { kairosTrace?: RequestTrace | null }): RequestTrace {
  return request.kairosTrace ?? traceFromHeaders(undefined, undefined);
}
