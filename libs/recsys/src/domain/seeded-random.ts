/**
 * Seeded pseudo-random numbers (mulberry32) for negative sampling and new-item initialisation:
 * the same seed and the same event order reproduce the same table bit for bit, which replay
 * evaluation and replica debugging rely on.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    // Scramble once so that nearby seeds start from unrelated states.
    this.state = (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ 0x165667b1) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, exclusiveMax). */
  nextInt(exclusiveMax: number): number {
    return Math.floor(this.next() * exclusiveMax);
  }
}
