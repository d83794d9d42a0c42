import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type Schema as MongooseSchema } from 'mongoose';

/**
 * `recommendations`: one document per user, replaced on every update.
 *
 * Indexes: `_id` (the userId) serves the only query, GET /v1/recommendations/:userId.
 */
@Schema({ collection: 'recommendations', versionKey: false, minimize: false })
export class RecommendationDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Array, required: true }) items!: Array<{ itemId: string; score: number }>;
  @Prop({ type: Object, required: true }) model!: { name: string; version: string };
  @Prop({ type: String, default: null }) asOfEventId!: string | null;
  @Prop({ type: Number, default: null }) asOfEventTime!: number | null;
  /** The snapshot's event count; writes are conditional on it (see RecommendationList). */
  @Prop({ type: Number, default: null }) asOfVersion!: number | null;
  @Prop({ type: Date, required: true }) computedAt!: Date;
}

export const RecommendationSchema: MongooseSchema =
  SchemaFactory.createForClass(RecommendationDocument);
