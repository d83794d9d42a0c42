import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { KAIROS_CONFIG, type KairosConfig } from './kairos-config';

/** Epoch milliseconds. Injected so tests pin time instead of sleeping. */
export type Clock = () => number;
export const CLOCK = Symbol('CLOCK');

/** Makes the boot-time configuration (@InjectConfig()) and the clock (@InjectClock()) injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: KairosConfig, clock: Clock = Date.now): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: KAIROS_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [KAIROS_CONFIG, CLOCK],
    };
  }
}

export const InjectConfig = (): ParameterDecorator => Inject(KAIROS_CONFIG);
export const InjectClock = (): ParameterDecorator => Inject(CLOCK);
