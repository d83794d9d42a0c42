import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { KAIROS_CONFIG, type KairosConfig } from './kairos-config';

/** Makes the boot-time configuration injectable everywhere with @InjectConfig(). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: KairosConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: KAIROS_CONFIG, useValue: config }],
      exports: [KAIROS_CONFIG],
    };
  }
}

export const InjectConfig = (): ParameterDecorator => Inject(KAIROS_CONFIG);
