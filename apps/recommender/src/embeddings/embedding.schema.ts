import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type Schema as MongooseSchema } from 'mongoose';

/**
 * `item_embeddings`: the latest online-learned row per item, for the model whose space it is in.
 * Vectors are little-endian float32 bytes (BSON binary): 4 bytes per value instead of 9+.
 *
 * Indexes: `{ 'model.name': 1, 'model.version': 1 }` (created by EmbeddingRepository) serves the
 * startup load of one model's rows; `_id` (the itemId) serves the upserts.
 */
@Schema({ collection: 'item_embeddings', versionKey: false })
export class ItemEmbeddingDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Object, required: true }) model!: { name: string; version: string };
  @Prop({ type: Number, required: true }) version!: number;
  @Prop({ type: Buffer, required: true }) vector!: Buffer;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const ItemEmbeddingSchema: MongooseSchema =
  SchemaFactory.createForClass(ItemEmbeddingDocument);

/**
 * `user_embeddings`: each user's long-term vector, in the space of the model named.
 *
 * Indexes: `_id` (the userId) serves the batch loads and upserts.
 */
@Schema({ collection: 'user_embeddings', versionKey: false })
export class UserEmbeddingDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Object, required: true }) model!: { name: string; version: string };
  @Prop({ type: Buffer, required: true }) vector!: Buffer;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const UserEmbeddingSchema: MongooseSchema =
  SchemaFactory.createForClass(UserEmbeddingDocument);
