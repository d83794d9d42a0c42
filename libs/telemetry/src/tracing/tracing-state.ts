/**
 * Whether the OpenTelemetry SDK runs in this process. When it does not, the tracing helpers do
 * nothing but pass trace headers through, so "tracing off" costs no span bookkeeping at all.
 */
let enabled = false;

export function tracingEnabled(): boolean {
  return enabled;
}

export function markTracingEnabled(value: boolean): void {
  enabled = value;
}
