import { Injectable } from '@nestjs/common';
import { type Clock, InjectClock } from '@kairos/config';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';

/** Lists kept in memory; the least recently written are dropped first (the repository keeps them all). */
const CACHE_CAPACITY = 200_000;
/**
 * How long a replica answers a user from memory before reading MongoDB again. Another replica
 * may own the user now (rebalance, a paused replica's partitions moved) and have written a newer
 * list; this bounds how long a replica can serve its own older copy.
 */
export const CACHE_FRESH_MS = 2_000;

/**
 * A cached list in compact form: item ids (strings shared with the engine's table, so a slot
 * costs a pointer) and scores in a Float64Array (doubles, as stored, so the cache and MongoDB
 * answer the same numbers). As objects, 100 `{itemId, score}` pairs per user made the cache the
 * largest part of the process at 100,000 users.
 */
interface CompactList {
  readonly itemIds: readonly string[];
  readonly scores: Float64Array;
  readonly model: RecommendationList['model'];
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  readonly asOfVersion: number | null;
  readonly computedAt: number;
  readonly cachedAt: number;
}

/** Precomputed lists: a bounded, briefly trusted in-memory cache in front of the RecommendationRepository port. */
@Injectable()
export class RecommendationStore {
  private readonly cache = new Map<string, CompactList>();

  constructor(
    private readonly repository: RecommendationRepository,
    @InjectClock() private readonly clock: Clock,
  ) {}

  cached(userId: string): RecommendationList | undefined {
    const compact = this.cache.get(userId);
    if (compact === undefined) return undefined;
    if (this.clock() - compact.cachedAt > CACHE_FRESH_MS) {
      this.cache.delete(userId);
      return undefined;
    }
    return {
      userId,
      items: compact.itemIds.map((itemId, i) => ({ itemId, score: compact.scores[i] ?? 0 })),
      model: compact.model,
      asOfEventId: compact.asOfEventId,
      asOfEventTime: compact.asOfEventTime,
      asOfVersion: compact.asOfVersion,
      computedAt: compact.computedAt,
    };
  }

  /**
   * The repository's list, kept in memory unless memory already holds a newer one: a read that
   * reached MongoDB before this replica's own write landed must not replace that write's list.
   */
  async stored(userId: string): Promise<RecommendationList | null> {
    const list = await this.repository.findOne(userId);
    if (list !== null && !this.holdsNewerThan(list)) this.remember(list);
    return list;
  }

  /**
   * Durable first, then visible in the cache. A list the repository refused as older than the
   * stored one is dropped from this replica's cache, so its next answer is the stored list.
   */
  async saveMany(lists: readonly RecommendationList[]): Promise<void> {
    if (lists.length === 0) return;
    const superseded = await this.repository.saveMany(lists);
    for (const list of lists) {
      if (superseded.has(list.userId)) this.cache.delete(list.userId);
      else this.remember(list);
    }
  }

  private holdsNewerThan(list: RecommendationList): boolean {
    const held = this.cache.get(list.userId)?.asOfVersion ?? null;
    return held !== null && list.asOfVersion !== null && held > list.asOfVersion;
  }

  private remember(list: RecommendationList): void {
    this.cache.delete(list.userId);
    this.cache.set(list.userId, {
      itemIds: list.items.map((item) => item.itemId),
      scores: Float64Array.from(list.items, (item) => item.score),
      model: list.model,
      asOfEventId: list.asOfEventId,
      asOfEventTime: list.asOfEventTime,
      asOfVersion: list.asOfVersion,
      computedAt: list.computedAt,
      cachedAt: this.clock(),
    });
    if (this.cache.size > CACHE_CAPACITY) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
  }
}
