import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type KairosConfig } from '@kairos/config';
import { HealthModule } from '@kairos/health';
import { KafkaReadiness, MessagingModule } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MetricsModule } from '@kairos/telemetry';

/** Validates client events and publishes them to Kafka keyed by userId. */
@Module({})
export class IngestModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ConfigModule.forRoot(config),
        MessagingModule,
        MetricsModule.forRoot(config.app),
        HealthModule.forRoot([KafkaReadiness]),
      ],
    };
  }
}

export const ingestApp: AppDefinition = {
  name: 'ingest',
  module: (config) => IngestModule.register(config),
};
