import { selectTopK } from '../engine/top-k';

export interface PopularityPriorOptions {
  /** Event-time half-life of an interaction's contribution. */
  readonly halfLifeMs: number;
}

/**
 * Exponentially decayed interaction counts per table row, in event time. Counts are stored
 * relative to a moving reference time so one event costs O(1) instead of decaying all N rows;
 * the reference is moved (and all counts rescaled) only when the scale factor gets large.
 */
export class PopularityPrior {
  private counts = new Float64Array(1024);
  private referenceTime: number | undefined;
  private latestTime = 0;
  private readonly decayPerMs: number;
  private cachedPrior: Float32Array | undefined;

  constructor(options: PopularityPriorOptions) {
    if (!(options.halfLifeMs > 0)) {
      throw new Error(`halfLifeMs must be > 0, got ${options.halfLifeMs}`);
    }
    this.decayPerMs = Math.LN2 / options.halfLifeMs;
  }

  /** Adds `weight` to a row at event time `timestamp` (out-of-order events are clamped). */
  add(row: number, weight: number, timestamp: number): void {
    if (this.referenceTime === undefined) this.referenceTime = timestamp;
    this.latestTime = Math.max(this.latestTime, timestamp);
    while (row >= this.counts.length) this.grow();
    const exponent = (this.latestTime - this.referenceTime) * this.decayPerMs;
    // Past e^30 the stored values would lose precision: fold the decay into the counts.
    if (exponent > 30) {
      const scale = Math.exp(-exponent);
      for (let i = 0; i < this.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) * scale;
      this.referenceTime = this.latestTime;
    }
    const boost = Math.exp((timestamp - this.referenceTime) * this.decayPerMs);
    this.counts[row] = (this.counts[row] ?? 0) + weight * boost;
    this.cachedPrior = undefined;
  }

  /** Decayed count of a row at the latest event time seen. */
  countOf(row: number): number {
    return (this.counts[row] ?? 0) * this.currentScale();
  }

  private currentScale(): number {
    if (this.referenceTime === undefined) return 0;
    return Math.exp(-(this.latestTime - this.referenceTime) * this.decayPerMs);
  }

  /**
   * The [N] prior the model adds to its scores: log1p(decayed count) standardised to mean 0 and
   * standard deviation 1, the same transform the trainer applied, so the prior weight baked into
   * the graph means the same online at any traffic level.
   */
  priorVector(itemCount: number): Float32Array {
    if (this.cachedPrior?.length === itemCount) return this.cachedPrior;
    const prior = new Float32Array(itemCount);
    const scale = this.currentScale();
    let sum = 0;
    for (let row = 0; row < itemCount; row++) {
      const value = Math.log1p((this.counts[row] ?? 0) * scale);
      prior[row] = value;
      sum += value;
    }
    const mean = sum / Math.max(1, itemCount);
    let squares = 0;
    for (let row = 0; row < itemCount; row++) squares += ((prior[row] ?? 0) - mean) ** 2;
    const deviation = Math.sqrt(squares / Math.max(1, itemCount)) || 1;
    for (let row = 0; row < itemCount; row++) prior[row] = ((prior[row] ?? 0) - mean) / deviation;
    this.cachedPrior = prior;
    return prior;
  }

  /** A prior for a re-seeded table: each row's count moves to `newRowOf(oldRow)`, if any. */
  remap(newRowOf: (oldRow: number) => number | undefined, halfLifeMs: number): PopularityPrior {
    const next = new PopularityPrior({ halfLifeMs });
    next.referenceTime = this.referenceTime;
    next.latestTime = this.latestTime;
    this.counts.forEach((count, oldRow) => {
      if (count <= 0) return;
      const row = newRowOf(oldRow);
      if (row === undefined) return;
      while (row >= next.counts.length) next.grow();
      next.counts[row] = (next.counts[row] ?? 0) + count;
    });
    return next;
  }

  /** Rows by decayed count, most popular first: the fallback when a user has no history. */
  trending(k: number, itemCount: number, isExcluded?: (row: number) => boolean): number[] {
    // Stored counts share one scale factor, so their order is the decayed order.
    return selectTopK(
      this.counts.subarray(0, Math.min(itemCount, this.counts.length)),
      k,
      (row) => (this.counts[row] ?? 0) <= 0 || (isExcluded?.(row) ?? false),
    ).map((entry) => entry.index);
  }

  private grow(): void {
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
  }
}
