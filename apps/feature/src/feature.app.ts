import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HealthModule } from '@kairos/health';
import { Topic } from '@kairos/contracts';
import {
  ConsumerLagMonitor,
  KafkaReadiness,
  LAG_MONITOR_TARGET,
  MessagingModule,
} from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { MongoReadiness, StorageModule } from '@kairos/storage';
import { EventsConsumer } from './events/events.consumer';
import { SessionUpdateService } from './events/session-update.service';
import { FeatureMetrics } from './feature.metrics';
import { SessionArchiveRepository } from './storage/session-archive.repository';
import { SessionArchiveDocument, SessionArchiveSchema } from './storage/session-archive.schema';
import { UserStateRepository } from './storage/user-state.repository';
import { UserStateDocument, UserStateSchema } from './storage/user-state.schema';
import { UserSessionController } from './users/user-session.controller';

/** Consumes `events` and maintains per-user session windows and profiles in MongoDB. */
@Module({
  imports: [
    MessagingModule,
    StorageModule,
    MongooseModule.forFeature([
      { name: UserStateDocument.name, schema: UserStateSchema },
      { name: SessionArchiveDocument.name, schema: SessionArchiveSchema },
    ]),
    HealthModule.forRoot([KafkaReadiness, MongoReadiness]),
  ],
  controllers: [EventsConsumer, UserSessionController],
  providers: [
    SessionUpdateService,
    UserStateRepository,
    SessionArchiveRepository,
    FeatureMetrics,
    ConsumerLagMonitor,
    { provide: LAG_MONITOR_TARGET, useValue: { groupId: 'feature', topics: [Topic.Events] } },
  ],
})
export class FeatureModule implements OnApplicationBootstrap {
  constructor(private readonly archive: SessionArchiveRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.archive.ensureIndexes();
  }
}

export const featureApp: AppDefinition = {
  name: 'feature',
  description:
    'Maintains per-user session windows and long-term profiles in MongoDB from the event stream.',
  module: FeatureModule,
  consumerGroup: 'feature',
};
