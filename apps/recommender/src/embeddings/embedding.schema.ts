import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type Schema as MongooseSchema } from 'mongoose';

/**
 * `item_embeddings`: online-learned item rows as a log of batches, for the model whose space they
 * are in. Each checkpoint appends one or more documents holding the rows it wrote (ids, versions
 * and the vectors packed as little-endian float32 bytes, BSON binary); a full write (every
 * learned row) lets the documents written before it go. A few large documents instead of one per
 * item: the MongoDB-protocol server used in tests applies writes one command at a time, and
 * 10,000 per-item upserts every checkpoint held it for about a second.
 *
 * Documents of the earlier shape (one per item: `_id` the itemId, `version`, `vector`) are still
 * read, and dropped by the next full write.
 *
 * Indexes: `{ 'model.name': 1, 'model.version': 1, updatedAt: 1 }` (created by
 * EmbeddingRepository) serves the startup load of one model's rows in write order and the
 * deletion of what a full write superseded.
 */
@Schema({ collection: 'item_embeddings', versionKey: false })
export class ItemEmbeddingDocument {
  @Prop({ type: Object, required: true }) model!: { name: string; version: string };
  @Prop({ type: [String], required: true }) itemIds!: string[];
  @Prop({ type: [Number], required: true }) versions!: number[];
  @Prop({ type: Buffer, required: true }) vectors!: Buffer;
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
