export * from './app-name';
export * from './kairos-config';
export { loadConfig, ConfigValidationError, type ConfigProblem } from './load-config';
export { ConfigModule, InjectConfig, InjectClock, CLOCK, type Clock } from './config.module';
export { ENVIRONMENT_VARIABLES, type VariableDoc } from './environment-variables';
export { API_SCOPES, type ApiScope, type ApiKeyConfig, parseApiKeys } from './api-keys';
export { parseCorsOrigins } from './web-access';
