import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { Topic } from '@kairos/contracts';
import { ConsumerLagMonitor, EventLogReadiness, LAG_MONITOR_TARGET } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { StorageReadiness } from '@kairos/storage';
import { EventsConsumer } from './events/events.consumer';
import { SessionUpdateService } from './events/session-update.service';
import { FeatureMetrics } from './feature.metrics';
import { FeatureStorageModule } from './storage/feature-storage.module';
import { SessionArchiveStore } from './storage/session-archive.store';
import { UserSessionController } from './users/user-session.controller';

/**
 * Consumes `events` and maintains per-user session windows and profiles. The event log and the
 * repositories are ports: the platform registers their adapters for the mode.
 */
@Module({
  controllers: [EventsConsumer, UserSessionController],
  providers: [
    SessionUpdateService,
    FeatureMetrics,
    ConsumerLagMonitor,
    { provide: LAG_MONITOR_TARGET, useValue: { groupId: 'feature', topics: [Topic.Events] } },
  ],
})
export class FeatureModule implements OnApplicationBootstrap {
  constructor(private readonly archive: SessionArchiveStore) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.archive.start();
  }
}

export const featureApp: AppDefinition = {
  name: 'feature',
  description:
    'Maintains per-user session windows and long-term profiles in MongoDB from the event stream.',
  module: FeatureModule,
  consumerGroup: 'feature',
  storage: (config) => [FeatureStorageModule.forRoot(config)],
  readiness: [EventLogReadiness, StorageReadiness],
};
