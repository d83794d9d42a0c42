import { Module } from '@nestjs/common';
import { KAIROS_CONFIG, type KairosConfig } from '@kairos/config';
import { DEFAULT_MODEL_LIMITS, ModelRegistry } from '@kairos/model';
import { ModelMetrics } from './model.metrics';
import { ModelRegistryLifecycle } from './model-registry.lifecycle';
import { ModelsController } from './models.controller';

/**
 * The drop-in model registry of the recommender. Exports ModelRegistry: the engine runs each
 * batch with `registry.infer(batch)` and re-seeds its embedding table on `onActivated`.
 */
@Module({
  controllers: [ModelsController],
  providers: [
    ModelMetrics,
    {
      provide: ModelRegistry,
      inject: [KAIROS_CONFIG, ModelMetrics],
      useFactory: (config: KairosConfig, metrics: ModelMetrics): ModelRegistry =>
        new ModelRegistry(
          {
            modelDir: config.models.modelDir,
            pollIntervalMs: config.models.pollIntervalMs,
            smokeTimeoutMs: config.models.smokeTimeoutMs,
            intraOpNumThreads: config.models.intraOpNumThreads,
            limits: {
              maxItems: config.models.maxItems,
              maxDimension: config.models.maxDimension,
              maxFileBytes: DEFAULT_MODEL_LIMITS.maxFileBytes,
            },
          },
          metrics,
        ),
    },
    ModelRegistryLifecycle,
  ],
  exports: [ModelRegistry, ModelMetrics],
})
export class ModelsModule {}
