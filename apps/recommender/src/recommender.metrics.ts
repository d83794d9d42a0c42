import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@kairos/telemetry';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The recommender's own metrics (model load and inference latency live in ModelMetrics). */
@Injectable()
export class RecommenderMetrics {
  readonly batchSize: Histogram;
  readonly batchUsers: Histogram;
  readonly freshnessSeconds: Histogram;
  readonly served: Counter<'source'>;
  readonly embeddingRows: Counter<'origin'>;
  readonly deadLettered: Counter<'code'>;
  readonly checkpointSeconds: Histogram;
  readonly checkpointFailures: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.batchSize = new Histogram({
      name: 'kairos_recommender_batch_size',
      help: 'Records per consumed session-features partition batch',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    });
    this.batchUsers = new Histogram({
      name: 'kairos_recommender_inference_batch_users',
      help: 'Users scored per model inference call (one per engine batch)',
      buckets: [1, 4, 16, 64, 128, 256, 512],
      registers: [registry],
    });
    this.freshnessSeconds = new Histogram({
      name: 'kairos_recommender_freshness_seconds',
      help: 'Event time of the last event to the recommendation list computed',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.served = new Counter({
      name: 'kairos_recommender_served_total',
      help: 'GET /v1/recommendations answers by source (precomputed = cache or MongoDB hit)',
      labelNames: ['source'],
      registers: [registry],
    });
    this.embeddingRows = new Counter({
      name: 'kairos_recommender_embedding_rows_total',
      help: 'Item embedding rows updated, learned here (local) or from other replicas (replicated)',
      labelNames: ['origin'],
      registers: [registry],
    });
    this.checkpointSeconds = new Histogram({
      name: 'kairos_recommender_embedding_checkpoint_seconds',
      help: 'Writing the learned rows and user vectors of one checkpoint (MongoDB and item-embeddings)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.checkpointFailures = new Counter({
      name: 'kairos_recommender_embedding_checkpoint_failures_total',
      help: 'Checkpoints that failed; their rows are retried with the next one',
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'kairos_recommender_dlq_total',
      help: 'Records sent to session-features.dlq, by reason',
      labelNames: ['code'],
      registers: [registry],
    });
  }
}
