export * from './app-name';
export * from './kairos-config';
export { loadConfig, ConfigValidationError, type ConfigProblem } from './load-config';
export { ConfigModule, InjectConfig } from './config.module';
export { ENVIRONMENT_VARIABLES, type VariableDoc } from './environment-variables';
