import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { type KairosConfig } from '@kairos/config';
import { MemoryStorageModule, StorageModule } from '@kairos/storage';
import { EmbeddingRepository } from './embeddings/embedding.repository';
import {
  ItemEmbeddingDocument,
  ItemEmbeddingSchema,
  UserEmbeddingDocument,
  UserEmbeddingSchema,
} from './embeddings/embedding.schema';
import { EmbeddingStore } from './embeddings/embedding.store';
import { MemoryEmbeddingStore } from './embeddings/memory-embedding.store';
import { MemoryRecommendationRepository } from './recommendations/memory-recommendation.repository';
import { MongoRecommendationRepository } from './recommendations/mongo-recommendation.repository';
import { RecommendationRepository } from './recommendations/recommendation.repository';
import {
  RecommendationDocument,
  RecommendationSchema,
} from './recommendations/recommendation.schema';

const PORTS = [EmbeddingStore, RecommendationRepository];

/** The recommender's repository ports: MongoDB adapters, or memory in embedded mode. */
@Module({})
export class RecommenderStorageModule {
  static forRoot(config: KairosConfig): DynamicModule {
    if (config.mode === 'embedded') {
      return {
        module: RecommenderStorageModule,
        global: true,
        imports: [MemoryStorageModule],
        providers: [
          { provide: EmbeddingStore, useClass: MemoryEmbeddingStore },
          { provide: RecommendationRepository, useClass: MemoryRecommendationRepository },
        ],
        exports: PORTS,
      };
    }
    return {
      module: RecommenderStorageModule,
      global: true,
      imports: [
        StorageModule,
        MongooseModule.forFeature([
          { name: RecommendationDocument.name, schema: RecommendationSchema },
          { name: ItemEmbeddingDocument.name, schema: ItemEmbeddingSchema },
          { name: UserEmbeddingDocument.name, schema: UserEmbeddingSchema },
        ]),
      ],
      providers: [
        EmbeddingRepository,
        MongoRecommendationRepository,
        { provide: EmbeddingStore, useExisting: EmbeddingRepository },
        { provide: RecommendationRepository, useExisting: MongoRecommendationRepository },
      ],
      exports: PORTS,
    };
  }
}
