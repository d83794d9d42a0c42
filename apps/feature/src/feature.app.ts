import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type KairosConfig } from '@kairos/config';
import { HealthModule } from '@kairos/health';
import { KafkaReadiness, MessagingModule } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MongoReadiness, StorageModule } from '@kairos/storage';
import { MetricsModule } from '@kairos/telemetry';

/** Consumes `events` and maintains per-user session windows and profiles in MongoDB. */
@Module({})
export class FeatureModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: FeatureModule,
      imports: [
        ConfigModule.forRoot(config),
        MessagingModule,
        StorageModule,
        MetricsModule.forRoot(config.app),
        HealthModule.forRoot([KafkaReadiness, MongoReadiness]),
      ],
    };
  }
}

export const featureApp: AppDefinition = {
  name: 'feature',
  module: (config) => FeatureModule.register(config),
  consumerGroup: 'feature',
};
