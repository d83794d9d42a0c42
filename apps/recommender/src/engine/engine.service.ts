import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type ActiveModel, type ModelRef, ModelRegistry } from '@kairos/model';
import { RecommendationEngine } from '@kairos/recsys';
import { EmbeddingStore } from '../embeddings/embedding.store';
import { ModelMetrics } from '../models/model.metrics';
import { RecommenderMetrics } from '../recommender.metrics';
import { timedRunner } from './timed-runner';

export interface ServingEngine {
  readonly engine: RecommendationEngine;
  readonly model: ModelRef;
}

/**
 * Owns the recommendation engine of this replica and keeps it on the registry's active model:
 * the first activation creates it, every later one re-seeds its item table from the new
 * model's base embeddings (online rows learned in the old model's space do not carry over).
 */
@Injectable()
export class EngineService implements OnApplicationBootstrap {
  private readonly logger = new Logger('engine');
  private serving: ServingEngine | null = null;
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly embeddings: EmbeddingStore,
    private readonly modelMetrics: ModelMetrics,
    private readonly metrics: RecommenderMetrics,
  ) {
    registry.onActivated(({ model }) => this.switchTo(model));
  }

  async onApplicationBootstrap(): Promise<void> {
    const active = this.registry.active();
    if (active !== null) await this.switchTo(active);
  }

  /** The engine and the model it serves, or null while no model is active. */
  current(): ServingEngine | null {
    return this.serving;
  }

  private switchTo(model: ActiveModel): Promise<void> {
    this.switching = this.switching.then(async () => {
      const ref = { name: model.name, version: model.version };
      if (this.serving?.model.name === ref.name && this.serving.model.version === ref.version) {
        return;
      }
      try {
        const runner = timedRunner(model.runner, ref, this.modelMetrics, this.metrics);
        const engine = this.serving?.engine ?? (await RecommendationEngine.create(runner));
        if (this.serving !== null) await engine.activateModel(runner);
        // Rows learned online for this model before this replica started (or before a
        // rollback to it); rows other replicas publish later arrive through the topic.
        let restored = 0;
        for await (const row of this.embeddings.rowsOf(ref)) if (engine.applyRow(row)) restored++;
        this.serving = { engine, model: ref };
        this.logger.log(
          `engine serves ${ref.name}/${ref.version} (${restored} learned rows restored from storage)`,
        );
      } catch (error) {
        this.logger.error(
          `engine could not switch to ${ref.name}/${ref.version}: ${String(error)}`,
        );
      }
    });
    return this.switching;
  }
}
