import { Module } from '@nestjs/common';
import { HealthModule } from '@kairos/health';
import { KafkaReadiness, MessagingModule } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MongoReadiness, StorageModule } from '@kairos/storage';

/** Runs ONNX inference on session features, learns item embeddings online, serves recommendations. */
@Module({
  imports: [MessagingModule, StorageModule, HealthModule.forRoot([KafkaReadiness, MongoReadiness])],
})
export class RecommenderModule {}

export const recommenderApp: AppDefinition = {
  name: 'recommender',
  description:
    'Batched ONNX inference on session features, online-learned item embeddings and the recommendations API.',
  module: RecommenderModule,
  consumerGroup: 'recommender',
};
