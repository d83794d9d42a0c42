import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type mongo } from 'mongoose';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';
import { RecommendationDocument } from './recommendation.schema';

interface StoredRecommendation {
  readonly _id: string;
  readonly items: Array<{ itemId: string; score: number }>;
  readonly model: { name: string; version: string };
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  readonly computedAt: Date;
}

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
      computedAt: doc.computedAt.getTime(),
    };
  }

  /** One unordered bulkWrite of whole-document replacements. */
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
  }

  /** Plain data on the hot path: the driver collection, without mongoose's casting. */
  private raw(): mongo.Collection<StoredRecommendation> {
    return this.model.collection as unknown as mongo.Collection<StoredRecommendation>;
  }
}
