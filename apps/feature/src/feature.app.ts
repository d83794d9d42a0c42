import { Module } from '@nestjs/common';
import { HealthModule } from '@kairos/health';
import { KafkaReadiness, MessagingModule } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MongoReadiness, StorageModule } from '@kairos/storage';

/** Consumes `events` and maintains per-user session windows and profiles in MongoDB. */
@Module({
  imports: [MessagingModule, StorageModule, HealthModule.forRoot([KafkaReadiness, MongoReadiness])],
})
export class FeatureModule {}

export const featureApp: AppDefinition = {
  name: 'feature',
  description:
    'Maintains per-user session windows and long-term profiles in MongoDB from the event stream.',
  module: FeatureModule,
  consumerGroup: 'feature',
};
