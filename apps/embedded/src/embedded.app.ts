import { Module } from '@nestjs/common';
import { Topic } from '@kairos/contracts';
import { EventLogReadiness } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { StorageReadiness } from '@kairos/storage';
import { FeatureModule } from '../../feature/src/feature.app';
import { FeatureStorageModule } from '../../feature/src/storage/feature-storage.module';
import { IngestModule } from '../../ingest/src/ingest.app';
import { DemoModule } from '../../recommender/src/demo/demo.module';
import { RecommenderModule } from '../../recommender/src/recommender.app';
import { RecommenderStorageModule } from '../../recommender/src/recommender-storage.module';
import { EmbeddedRuntimeModule } from './embedded-runtime.module';

/**
 * The three apps' modules in one process, with everything they do in distributed mode, and the
 * demo page at `/` (its routes answer only with KAIROS_DEMO on, the default while auth is off).
 */
@Module({
  imports: [IngestModule, FeatureModule, RecommenderModule, DemoModule.with(RecommenderModule)],
})
export class EmbeddedModule {}

export const embeddedApp: AppDefinition = {
  name: 'embedded',
  description:
    'Ingest, feature and recommender in one process on an in-process partitioned log and in-memory stores persisted to a data directory.',
  module: EmbeddedModule,
  // The same groups as the distributed apps, so offsets, lag and semantics match.
  consumers: [
    { groupId: 'feature', topics: [Topic.Events] },
    { groupId: 'recommender', topics: [Topic.SessionFeatures] },
  ],
  storage: (config) => [
    FeatureStorageModule.forRoot(config),
    RecommenderStorageModule.forRoot(config),
    ...EmbeddedRuntimeModule.forRoot(config),
  ],
  readiness: [EventLogReadiness, StorageReadiness],
};
