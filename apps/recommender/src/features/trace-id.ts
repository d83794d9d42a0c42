import { isSpanContextValid, trace } from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace a list update belongs to: the one its record carried across the Kafka hops (the
 * ingest request of the event it reflects), else the active OpenTelemetry span's, else none.
 */
export function traceIdOf(headers: Readonly<Record<string, string>> | undefined): string | null {
  const carried = TRACEPARENT.exec(headers?.traceparent?.trim() ?? '')?.[1];
  if (carried !== undefined && !/^0+$/.test(carried)) return carried;
  const active = trace.getActiveSpan()?.spanContext();
  return active !== undefined && isSpanContextValid(active) ? active.traceId : null;
}
