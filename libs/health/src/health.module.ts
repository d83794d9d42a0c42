import { type Abstract, type DynamicModule, Module, type Type } from '@nestjs/common';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';

@Module({})
export class HealthModule {
  /**
   * `checks` are provider classes registered anywhere in the app (e.g. exported by a lib
   * module); they are looked up app-wide, so HealthModule need not import their modules.
   */
  static forRoot(
    checks: ReadonlyArray<Type<ReadinessCheck> | Abstract<ReadinessCheck>>,
  ): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useValue: checks }],
    };
  }
}
