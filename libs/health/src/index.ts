export { HealthModule } from './health.module';
export { HealthController, type ReadinessReport } from './health.controller';
export { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';
