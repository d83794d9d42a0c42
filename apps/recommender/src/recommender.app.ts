import { Module } from '@nestjs/common';
import { Topic } from '@kairos/contracts';
import { ConsumerLagMonitor, EventLogReadiness, LAG_MONITOR_TARGET } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { StorageReadiness } from '@kairos/storage';
import { CatalogService } from './catalog/catalog.service';
import { ItemsController } from './catalog/items.controller';
import { DemoModule } from './demo/demo.module';
import { EmbeddingCheckpointService } from './embeddings/embedding-checkpoint.service';
import { EmbeddingReplicationService } from './embeddings/embedding-replication.service';
import { EmbeddingsController } from './embeddings/embeddings.controller';
import { EngineService } from './engine/engine.service';
import { RecommendationUpdateService } from './features/recommendation-update.service';
import { SessionFeaturesConsumer } from './features/session-features.consumer';
import { ModelsModule } from './models/models.module';
import { RecommendationNotifier } from './recommendations/recommendation-notifier.service';
import { RecommendationQueryService } from './recommendations/recommendation-query.service';
import { RecommendationStore } from './recommendations/recommendation.store';
import { RecommendationsController } from './recommendations/recommendations.controller';
import { RecommenderStorageModule } from './recommender-storage.module';
import { RecommenderMetrics } from './recommender.metrics';

/**
 * Runs ONNX inference on session features, learns item embeddings online, serves
 * recommendations. The event log and the repositories are ports (adapters chosen by mode).
 */
@Module({
  imports: [ModelsModule],
  controllers: [
    SessionFeaturesConsumer,
    RecommendationsController,
    ItemsController,
    EmbeddingsController,
  ],
  providers: [
    EngineService,
    CatalogService,
    EmbeddingReplicationService,
    EmbeddingCheckpointService,
    RecommendationUpdateService,
    RecommendationNotifier,
    RecommendationQueryService,
    RecommendationStore,
    RecommenderMetrics,
    ConsumerLagMonitor,
    {
      provide: LAG_MONITOR_TARGET,
      useValue: { groupId: 'recommender', topics: [Topic.SessionFeatures] },
    },
  ],
  // For modules composed next to it (the demo).
  exports: [CatalogService, RecommendationNotifier],
})
export class RecommenderModule {}

/** The deployable: the recommender and its demo page (whose routes answer only with KAIROS_DEMO on). */
@Module({ imports: [RecommenderModule, DemoModule.with(RecommenderModule)] })
export class RecommenderAppModule {}

export const recommenderApp: AppDefinition = {
  name: 'recommender',
  description:
    'Batched ONNX inference on session features, online-learned item embeddings and the recommendations API.',
  module: RecommenderAppModule,
  consumerGroup: 'recommender',
  storage: (config) => [RecommenderStorageModule.forRoot(config)],
  readiness: [EventLogReadiness, StorageReadiness],
};
