import { setMostRecent } from '../domain/recency-map';
export interface TransitionModelOptions {
  /** Successors remembered per item; the weakest is forgotten when a new one arrives. */
  readonly maxSuccessors: number;
  /** Event-time half-life of transition counts (old browsing paths fade). */
  readonly halfLifeMs: number;
  /** Items tracked as a transition source; the least recently updated is forgotten beyond it. */
  readonly maxSources: number;
  /**
   * Pseudo-count of "went elsewhere" added to every source's total: an item seen leaving once
   * says little (strength 1 / (1 + prior)), one seen leaving hundreds of times says a lot.
   */
  readonly evidencePrior: number;
}

/** Decayed outgoing counts of one item. Counts share the decay clock of `updatedAt`. */
interface SuccessorCounts {
  total: number;
  updatedAt: number;
  readonly counts: Map<string, number>;
}

/**
 * Directional first-order transitions (item a, then item b in one user's stream), learned online
 * in event time. The pooled-history model scores with one shared table, so "b follows a" and "a
 * follows b" look alike to it; browsing paths are directional, which this table captures.
 * Keyed by item id, so it survives a model switch that renumbers the item table. Memory is
 * bounded by `maxSources × maxSuccessors` counts.
 */
export class TransitionModel {
  private readonly sources = new Map<string, SuccessorCounts>();

  constructor(private readonly options: TransitionModelOptions) {
    if (!(options.maxSuccessors >= 1)) {
      throw new Error(`maxSuccessors must be >= 1, got ${options.maxSuccessors}`);
    }
    if (!(options.halfLifeMs > 0)) {
      throw new Error(`halfLifeMs must be > 0, got ${options.halfLifeMs}`);
    }
    if (!(options.evidencePrior >= 0)) {
      throw new Error(`evidencePrior must be >= 0, got ${options.evidencePrior}`);
    }
    if (!(options.maxSources >= 1)) {
      throw new Error(`maxSources must be >= 1, got ${options.maxSources}`);
    }
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  /** Counts one step from `fromItemId` to `toItemId` at event time `timestamp`. */
  learn(fromItemId: string, toItemId: string, timestamp: number): void {
    if (fromItemId === toItemId) return;
    let source = this.sources.get(fromItemId);
    if (source) this.decay(source, timestamp);
    else source = { total: 0, updatedAt: timestamp, counts: new Map() };
    // Map order = recency of update, so the bound forgets the least recently updated source.
    setMostRecent(this.sources, fromItemId, source, this.options.maxSources);
    const count = source.counts.get(toItemId);
    if (count === undefined && source.counts.size >= this.options.maxSuccessors) {
      this.forgetWeakest(source);
    }
    source.counts.set(toItemId, (count ?? 0) + 1);
    source.total += 1;
  }

  /**
   * P(next = b | current = a) for every remembered successor b of `fromItemId`, shrunk towards 0
   * by `evidencePrior` when a has been seen leaving only a few times. Counts and total share one
   * decay clock, so their ratio needs no decay here.
   */
  forEachSuccessor(fromItemId: string, visit: (itemId: string, probability: number) => void): void {
    const source = this.sources.get(fromItemId);
    if (!source || source.total <= 0) return;
    const denominator = source.total + this.options.evidencePrior;
    source.counts.forEach((count, itemId) => visit(itemId, count / denominator));
  }

  /**
   * Transition strength of every successor of a user's recent items, newest first: the newest
   * item weighs 1, the one before `contextDecay`, and so on. Successors are keyed by `keyOf`
   * (e.g. a table row); those it maps to undefined are left out.
   */
  scoreSuccessors<Key>(
    recentItemIds: readonly string[],
    contextDecay: number,
    keyOf: (itemId: string) => Key | undefined,
  ): Map<Key, number> {
    const scores = new Map<Key, number>();
    let weight = 1;
    for (const itemId of recentItemIds) {
      this.forEachSuccessor(itemId, (next, probability) => {
        const key = keyOf(next);
        if (key !== undefined) scores.set(key, (scores.get(key) ?? 0) + weight * probability);
      });
      weight *= contextDecay;
    }
    return scores;
  }

  private decay(source: SuccessorCounts, timestamp: number): void {
    const elapsed = timestamp - source.updatedAt;
    if (!(elapsed > 0)) return;
    const factor = Math.pow(2, -elapsed / this.options.halfLifeMs);
    source.total *= factor;
    source.counts.forEach((count, itemId) => source.counts.set(itemId, count * factor));
    source.updatedAt = timestamp;
  }

  private forgetWeakest(source: SuccessorCounts): void {
    let weakestId: string | undefined;
    let weakest = Number.POSITIVE_INFINITY;
    source.counts.forEach((count, itemId) => {
      if (count < weakest) {
        weakest = count;
        weakestId = itemId;
      }
    });
    if (weakestId === undefined) return;
    source.counts.delete(weakestId);
    source.total -= weakest;
  }
}
