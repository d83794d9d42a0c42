import { Injectable } from '@nestjs/common';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';

/** Lists kept in memory; the least recently written are dropped first (the repository keeps them all). */
const CACHE_CAPACITY = 200_000;

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
  readonly computedAt: number;
}

/** Precomputed lists: a bounded in-memory cache in front of the RecommendationRepository port. */
@Injectable()
export class RecommendationStore {
  private readonly cache = new Map<string, CompactList>();

  constructor(private readonly repository: RecommendationRepository) {}

  cached(userId: string): RecommendationList | undefined {
    const compact = this.cache.get(userId);
    if (compact === undefined) return undefined;
    const { itemIds, scores, ...provenance } = compact;
    return {
      userId,
      items: itemIds.map((itemId, i) => ({ itemId, score: scores[i] ?? 0 })),
      ...provenance,
    };
  }

  async stored(userId: string): Promise<RecommendationList | null> {
    const list = await this.repository.findOne(userId);
    if (list !== null) this.remember(list);
    return list;
  }

  /** Durable first, then visible in the cache. */
  async saveMany(lists: readonly RecommendationList[]): Promise<void> {
    if (lists.length === 0) return;
    await this.repository.saveMany(lists);
    for (const list of lists) this.remember(list);
  }

  private remember(list: RecommendationList): void {
    this.cache.delete(list.userId);
    this.cache.set(list.userId, {
      itemIds: list.items.map((item) => item.itemId),
      scores: Float64Array.from(list.items, (item) => item.score),
      model: list.model,
      asOfEventId: list.asOfEventId,
      asOfEventTime: list.asOfEventTime,
      computedAt: list.computedAt,
    });
    if (this.cache.size > CACHE_CAPACITY) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
  }
}
