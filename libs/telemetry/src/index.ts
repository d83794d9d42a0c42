export { startTelemetry } from './telemetry.bootstrap';
export { MetricsModule, METRICS_REGISTRY } from './metrics/metrics.module';
export { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
