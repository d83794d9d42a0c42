import { SeededRandom } from '../domain/seeded-random';
import type { ItemTable } from '../table/item-table';
import type { ResolvedHistory } from './history-pooling';
import { projectHistory } from './history-pooling';
import type { LinearScoring } from './linear-scoring';
import { RecentTrafficNegativeSampler } from './negative-sampler';

export interface OnlineLearnerOptions {
  /** SGD step size relative to the square of the model's median row norm (scale-free). */
  readonly learningRate: number;
  /** Negative samples per observed transition. */
  readonly negatives: number;
  readonly seed: number;
  /** How many recent interactions the negative sampler draws from. */
  readonly negativePoolSize: number;
  /** Share of negatives drawn uniformly from the whole table instead of from recent traffic. */
  readonly uniformNegativeShare: number;
  /**
   * Rows an update touched are clipped to this multiple of the model's median row norm, so a
   * frequently learned item cannot grow into a hub that tops every list. 0 disables clipping.
   */
  readonly maxNormFactor: number;
}

function sigmoid(x: number): number {
  if (x > 30) return 1;
  if (x < -30) return 0;
  return 1 / (1 + Math.exp(-x));
}

/**
 * One SGD step of skip-gram with negative sampling per transition, in the exact form the graph
 * scores (the trainer's objective): the query is the projected, recency-weighted pool of the
 * user's history before the event; the positive is the item the user moved to; negatives come
 * from recent traffic. Gradients reach the target, the negatives and, through P, every history
 * row in proportion to its pooling weight. P itself is baked into the graph and stays fixed.
 */
export class OnlineLearner {
  private readonly random: SeededRandom;
  private readonly negativeSampler: RecentTrafficNegativeSampler;
  private pooled: Float64Array;
  private projected: Float64Array;
  private projectedGradient: Float64Array;

  constructor(
    private readonly options: OnlineLearnerOptions,
    private scoring: LinearScoring,
  ) {
    this.random = new SeededRandom(options.seed);
    this.negativeSampler = new RecentTrafficNegativeSampler(
      options.negativePoolSize,
      options.uniformNegativeShare,
    );
    this.pooled = new Float64Array(scoring.dimension);
    this.projected = new Float64Array(scoring.dimension);
    this.projectedGradient = new Float64Array(scoring.dimension);
  }

  /** Switches to a new model's geometry; rows of the old table mean nothing any more. */
  reset(scoring: LinearScoring): void {
    this.scoring = scoring;
    this.negativeSampler.clear();
    this.pooled = new Float64Array(scoring.dimension);
    this.projected = new Float64Array(scoring.dimension);
    this.projectedGradient = new Float64Array(scoring.dimension);
  }

  /** Feeds the negative sampler: every interaction, transition or not, is traffic. */
  recordTraffic(row: number): void {
    this.negativeSampler.record(row);
  }

  /**
   * Learns "after this history comes `targetRow`". Returns the rows it changed (deduplicated),
   * so the caller can publish them as deltas.
   */
  learnTransition(table: ItemTable, history: ResolvedHistory, targetRow: number): Set<number> {
    const changed = new Set<number>();
    if (history.rows.length === 0 || this.options.learningRate <= 0) return changed;
    const dimension = table.dimension;
    const weightSum = projectHistory(history, table, this.scoring, this.pooled, this.projected);
    if (weightSum <= 0) return changed;
    const projected = this.projected;
    const gradient = this.projectedGradient;
    gradient.fill(0);
    const itemCount = table.size;
    // The rate is in units of the model's own scale: a step moves a logit by about
    // learningRate·(1 − σ)·|q|²/ref², so models trained to tiny or large norms learn alike.
    const rate = this.options.learningRate / table.referenceNorm ** 2;

    for (let sample = 0; sample <= this.options.negatives; sample++) {
      const row = sample === 0 ? targetRow : this.negativeSampler.sample(this.random, itemCount);
      if (sample > 0 && (row === targetRow || row >= itemCount)) continue;
      const vector = table.row(row);
      let dot = 0;
      for (let d = 0; d < dimension; d++) dot += (projected[d] ?? 0) * (vector[d] ?? 0);
      const step = rate * ((sample === 0 ? 1 : 0) - sigmoid(dot));
      for (let d = 0; d < dimension; d++) {
        gradient[d]! += step * (vector[d] ?? 0);
        vector[d]! += step * (projected[d] ?? 0);
      }
      changed.add(row);
    }

    // Back through P (pooled gradient = P · projected gradient), shared out by pooling weight.
    const projection = this.scoring.projection;
    const pooledGradient = this.pooled;
    for (let i = 0; i < dimension; i++) {
      let sum = 0;
      const offset = i * dimension;
      for (let j = 0; j < dimension; j++) sum += (projection[offset + j] ?? 0) * (gradient[j] ?? 0);
      pooledGradient[i] = sum;
    }
    history.rows.forEach((row, index) => {
      const share = (history.weights[index] ?? 0) / weightSum;
      const vector = table.row(row);
      for (let d = 0; d < dimension; d++) vector[d]! += share * (pooledGradient[d] ?? 0);
      changed.add(row);
    });
    if (this.options.maxNormFactor > 0) {
      const maxNorm = this.options.maxNormFactor * table.referenceNorm;
      for (const row of changed) table.clipRowNorm(row, maxNorm);
    }
    table.touch(changed);
    return changed;
  }
}
