import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type KairosConfig } from '@kairos/config';
import { HealthModule } from '@kairos/health';
import { KafkaReadiness, MessagingModule } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MongoReadiness, StorageModule } from '@kairos/storage';
import { MetricsModule } from '@kairos/telemetry';

/** Runs ONNX inference on session features, learns item embeddings online, serves recommendations. */
@Module({})
export class RecommenderModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: RecommenderModule,
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

export const recommenderApp: AppDefinition = {
  name: 'recommender',
  module: (config) => RecommenderModule.register(config),
  consumerGroup: 'recommender',
};
