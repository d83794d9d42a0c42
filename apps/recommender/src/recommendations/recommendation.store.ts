import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Clock, InjectClock } from '@kairos/config';
import { type Model, mongo } from 'mongoose';
import { type RecommendationList } from './recommendation';
import { RecommendationDocument } from './recommendation.schema';

/** Lists kept in memory; the least recently written are dropped first (MongoDB keeps them all). */
const CACHE_CAPACITY = 200_000;
/**
 * How long a replica answers a user from memory before reading MongoDB again. Another replica
 * may own the user now (rebalance, a paused replica's partitions moved) and have written a newer
 * list; this bounds how long a replica can serve its own older copy.
 */
export const CACHE_FRESH_MS = 2_000;
/** What the driver reports per failed operation of a bulkWrite. */
interface WriteFailure {
  readonly index: number;
  readonly code?: number;
}

/** MongoDB's duplicate-key error: the conditional upsert found a newer list and did not match. */
const DUPLICATE_KEY = 11_000;

interface StoredRecommendation {
  readonly _id: string;
  readonly items: Array<{ itemId: string; score: number }>;
  readonly model: { name: string; version: string };
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  readonly asOfVersion?: number | null;
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
  readonly asOfVersion: number | null;
  readonly computedAt: number;
  readonly cachedAt: number;
}

/** Precomputed lists: a bounded, briefly trusted in-memory cache in front of MongoDB `recommendations`. */
@Injectable()
export class RecommendationStore {
  private readonly cache = new Map<string, CompactList>();

  constructor(
    @InjectModel(RecommendationDocument.name) private readonly model: Model<RecommendationDocument>,
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
      asOfVersion: doc.asOfVersion ?? null,
      computedAt: doc.computedAt.getTime(),
    };
    this.remember(list);
    return list;
  }

  /**
   * Durable first (one unordered bulkWrite), then visible in the cache. Each write replaces the
   * stored list only if that one is not newer (asOfVersion): a replica that resumes after its
   * partitions moved on, or a redelivered batch, cannot roll a user's list back. A refused list
   * is also dropped from this replica's cache, so its next answer comes from MongoDB.
   */
  async saveMany(lists: readonly RecommendationList[]): Promise<void> {
    if (lists.length === 0) return;
    const superseded = new Set<number>();
    try {
      await this.raw().bulkWrite(
        lists.map((list) => ({
          replaceOne: {
            // Query served by `_id`; the version condition is checked on the one document found.
            filter: {
              _id: list.userId,
              $or: [
                { asOfVersion: { $lte: list.asOfVersion ?? 0 } },
                { asOfVersion: null },
                { asOfVersion: { $exists: false } },
              ],
            },
            replacement: {
              items: list.items.map(({ itemId, score }) => ({ itemId, score })),
              model: { name: list.model.name, version: list.model.version },
              asOfEventId: list.asOfEventId,
              asOfEventTime: list.asOfEventTime,
              asOfVersion: list.asOfVersion,
              computedAt: new Date(list.computedAt),
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (error) {
      // A newer list exists: the filter did not match and the upsert's insert hit its _id.
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      const reported = error.writeErrors as WriteFailure | WriteFailure[];
      const failures = Array.isArray(reported) ? reported : [reported];
      if (failures.some((failure) => failure.code !== DUPLICATE_KEY)) throw error;
      for (const failure of failures) superseded.add(failure.index);
    }
    for (const [index, list] of lists.entries()) {
      if (superseded.has(index)) this.cache.delete(list.userId);
      else this.remember(list);
    }
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

  /** Plain data on the hot path: the driver collection, without mongoose's casting. */
  private raw(): mongo.Collection<StoredRecommendation> {
    return this.model.collection as unknown as mongo.Collection<StoredRecommendation>;
  }
}
