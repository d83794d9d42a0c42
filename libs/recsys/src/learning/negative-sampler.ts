import type { SeededRandom } from '../domain/seeded-random';

/**
 * Negatives drawn from recent traffic: a ring of the last `capacity` interacted rows, so a
 * uniform pick from it follows the recent popularity distribution at O(1) per draw (rebuilding
 * a cumulative table over a changing prior would cost O(N)). A share of uniform draws over the
 * whole table flattens the distribution like word2vec's count^0.75 and reaches the long tail.
 */
export class RecentTrafficNegativeSampler {
  private readonly ring: Int32Array;
  private filled = 0;
  private next = 0;

  constructor(
    capacity: number,
    private readonly uniformShare: number,
  ) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new Error(`negative sampler capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Int32Array(capacity);
  }

  record(row: number): void {
    this.ring[this.next] = row;
    this.next = (this.next + 1) % this.ring.length;
    this.filled = Math.min(this.filled + 1, this.ring.length);
  }

  /** Forgets all rows (they are numbered by a table that is being replaced). */
  clear(): void {
    this.filled = 0;
    this.next = 0;
  }

  sample(random: SeededRandom, itemCount: number): number {
    if (this.filled === 0 || random.next() < this.uniformShare) return random.nextInt(itemCount);
    return this.ring[random.nextInt(this.filled)] ?? 0;
  }
}
