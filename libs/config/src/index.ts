export * from './app-name';
export * from './kairos-config';
export { loadConfig } from './load-config';
export { ConfigValidationError, type ConfigProblem } from './config-validation.error';
export {
  loadTelemetryConfig,
  type SpanBatching,
  type TelemetryConfig,
  type TraceExport,
} from './telemetry-config';
export { ConfigModule, InjectConfig, InjectClock, CLOCK, type Clock } from './config.module';
export { ENVIRONMENT_VARIABLES, type VariableDoc } from './environment-variables';
export { API_SCOPES, type ApiScope, type ApiKeyConfig, parseApiKeys } from './api-keys';
export { parseCorsOrigins } from './web-access';
