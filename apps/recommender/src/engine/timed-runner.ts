import {
  type FeatureBatch,
  type ModelRef,
  type ModelRunner,
  type ScoredBatch,
} from '@kairos/model';
import { activeBatchLinks, withSpan } from '@kairos/telemetry';
import { type ModelMetrics } from '../models/model.metrics';
import { type RecommenderMetrics } from '../recommender.metrics';

/**
 * The engine calls its runner directly (not `registry.infer`), so the per-model inference
 * latency and the batch sizes are recorded by this wrapper around every run.
 */
export function timedRunner(
  runner: ModelRunner,
  model: ModelRef,
  modelMetrics: ModelMetrics,
  metrics: RecommenderMetrics,
): ModelRunner {
  return {
    manifest: runner.manifest,
    vocabulary: runner.vocabulary,
    baseEmbeddings: runner.baseEmbeddings,
    run(batch: FeatureBatch): Promise<ScoredBatch> {
      metrics.batchUsers.observe(batch.batchSize);
      // One span per inference call, linked to every record of the consumed batch it serves
      // (none for an on-demand GET, which runs inside that request's span instead).
      return withSpan(
        'onnx.run',
        async () => {
          const started = performance.now();
          let failed = true;
          try {
            const scored = await runner.run(batch);
            failed = false;
            return scored;
          } finally {
            modelMetrics.inferred(model, (performance.now() - started) / 1_000, failed);
          }
        },
        {
          attributes: {
            'kairos.model.name': model.name,
            'kairos.model.version': model.version,
            'kairos.inference.batch_size': batch.batchSize,
            'kairos.inference.items_scored': batch.batchSize * batch.itemCount,
          },
          links: activeBatchLinks(),
        },
      );
    },
  };
}
