/** W3C trace context and baggage headers, carried unchanged across every Kafka hop. */
export const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'] as const;

export function pickTraceHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
