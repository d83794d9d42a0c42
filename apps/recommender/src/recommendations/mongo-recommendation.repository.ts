import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, mongo } from 'mongoose';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';
import { RecommendationDocument } from './recommendation.schema';

interface StoredRecommendation {
  readonly _id: string;
  readonly items: Array<{ itemId: string; score: number }>;
  readonly model: { name: string; version: string };
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  readonly asOfVersion?: number | null;
  readonly computedAt: Date;
}

/** What the driver reports per failed operation of a bulkWrite. */
interface WriteFailure {
  readonly index: number;
  readonly code?: number;
}

/** MongoDB's duplicate-key error: the conditional upsert found a newer list and did not match. */
const DUPLICATE_KEY = 11_000;

/** The RecommendationRepository port on MongoDB `recommendations`. */
@Injectable()
export class MongoRecommendationRepository extends RecommendationRepository {
  constructor(
    @InjectModel(RecommendationDocument.name) private readonly model: Model<RecommendationDocument>,
  ) {
    super();
  }

  /** Query served by `_id`. */
  async findOne(userId: string): Promise<RecommendationList | null> {
    const doc = await this.raw().findOne({ _id: userId });
    if (doc === null) return null;
    return {
      userId: doc._id,
      items: doc.items,
      model: doc.model,
      asOfEventId: doc.asOfEventId,
      asOfEventTime: doc.asOfEventTime,
      asOfVersion: doc.asOfVersion ?? null,
      computedAt: doc.computedAt.getTime(),
    };
  }

  /** One unordered bulkWrite of whole-document replacements, each conditional on the version. */
  async saveMany(lists: readonly RecommendationList[]): Promise<ReadonlySet<string>> {
    const superseded = new Set<string>();
    if (lists.length === 0) return superseded;
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
      for (const failure of failures) {
        const list = lists[failure.index];
        if (list !== undefined) superseded.add(list.userId);
      }
    }
    return superseded;
  }

  /** Plain data on the hot path: the driver collection, without mongoose's casting. */
  private raw(): mongo.Collection<StoredRecommendation> {
    return this.model.collection as unknown as mongo.Collection<StoredRecommendation>;
  }
}
