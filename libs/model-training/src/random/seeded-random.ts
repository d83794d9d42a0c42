/**
 * Seeded pseudo-random numbers (mulberry32). Training and data generation use this instead of
 * Math.random so that the same seed reproduces the same model and data bit for bit.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    // Mix the seed once so that nearby seeds (1, 2, 3) start from unrelated states.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, exclusiveMax). */
  nextInt(exclusiveMax: number): number {
    return Math.floor(this.next() * exclusiveMax);
  }

  /** Exponentially distributed with the given mean. */
  nextExponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(values: readonly T[]): T {
    const value = values[this.nextInt(values.length)];
    if (value === undefined) throw new Error('pick() needs a non-empty array');
    return value;
  }

  /** Fisher-Yates shuffle in place (arrays and typed arrays). */
  shuffle<T>(values: { length: number; [index: number]: T }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const swap = values[i] as T;
      values[i] = values[j] as T;
      values[j] = swap;
    }
  }
}

/**
 * Draws indices proportionally to non-negative weights in O(log n) per draw (binary search over
 * the cumulative sum). Used for popularity-skewed item and negative sampling.
 */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let running = 0;
    for (let i = 0; i < weights.length; i++) {
      const weight = weights[i] ?? 0;
      if (!(weight >= 0)) throw new Error(`weight ${i} must be >= 0, got ${weight}`);
      running += weight;
      this.cumulative[i] = running;
    }
    if (!(running > 0)) throw new Error('WeightedSampler needs at least one positive weight');
    this.total = running;
  }

  sample(random: SeededRandom): number {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
