export { MetricsModule, METRICS_REGISTRY } from './metrics/metrics.module';
export { installHttpMetrics } from './metrics/http-metrics.hook';
export {
  TRACE_HEADERS,
  type TracedMessage,
  activeBatchLinks,
  traceBatch,
  traceHeadersFrom,
  tracePublish,
} from './tracing/message-tracing';
export { withSpan, withSpanSync } from './tracing/spans';
export { activeTraceIds } from './tracing/active-trace';
export { tracingEnabled } from './tracing/tracing-state';
export { serverSpanTracer } from './tracing/server-span';
