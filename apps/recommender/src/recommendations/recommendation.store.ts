import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type mongo } from 'mongoose';
import { type RecommendationList } from './recommendation';
import { RecommendationDocument } from './recommendation.schema';

/** Lists kept in memory; the least recently written are dropped first (MongoDB keeps them all). */
const CACHE_CAPACITY = 200_000;

interface StoredRecommendation {
  readonly _id: string;
  readonly items: Array<{ itemId: string; score: number }>;
  readonly model: { name: string; version: string };
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  readonly computedAt: Date;
}

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

/** Precomputed lists: a bounded in-memory cache in front of MongoDB `recommendations`. */
@Injectable()
export class RecommendationStore {
  private readonly cache = new Map<string, CompactList>();

  constructor(
    @InjectModel(RecommendationDocument.name) private readonly model: Model<RecommendationDocument>,
  ) {}

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

  /** Query served by `_id`. */
  async stored(userId: string): Promise<RecommendationList | null> {
    const doc = await this.raw().findOne({ _id: userId });
    if (doc === null) return null;
    const list: RecommendationList = {
      userId: doc._id,
      items: doc.items,
      model: doc.model,
      asOfEventId: doc.asOfEventId,
      asOfEventTime: doc.asOfEventTime,
      computedAt: doc.computedAt.getTime(),
    };
    this.remember(list);
    return list;
  }

  /** Durable first (one unordered bulkWrite), then visible in the cache. */
  async saveMany(lists: readonly RecommendationList[]): Promise<void> {
    if (lists.length === 0) return;
    await this.raw().bulkWrite(
      lists.map((list) => ({
        replaceOne: {
          filter: { _id: list.userId },
          replacement: {
            items: list.items.map(({ itemId, score }) => ({ itemId, score })),
            model: { name: list.model.name, version: list.model.version },
            asOfEventId: list.asOfEventId,
            asOfEventTime: list.asOfEventTime,
            computedAt: new Date(list.computedAt),
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
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

  /** Plain data on the hot path: the driver collection, without mongoose's casting. */
  private raw(): mongo.Collection<StoredRecommendation> {
    return this.model.collection as unknown as mongo.Collection<StoredRecommendation>;
  }
}
