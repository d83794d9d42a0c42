import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type Schema as MongooseSchema } from 'mongoose';

/**
 * `sessions`: one document per session (current and closed), upserted by sessionId, so replays
 * rewrite the same document. Purged after the retention period.
 *
 * Indexes: `{ userId: 1, startedAt: -1 }` serves "a user's sessions, newest first";
 * `{ expiresAt: 1 }` is a TTL index where the server supports it and serves the fallback
 * sweeper's range delete where it does not.
 */
@Schema({ collection: 'sessions', versionKey: false, minimize: false })
export class SessionArchiveDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: Number, required: true }) startedAt!: number;
  @Prop({ type: Number, required: true }) lastEventAt!: number;
  @Prop({ type: Boolean, required: true }) closed!: boolean;
  @Prop({ type: Number, required: true }) eventCount!: number;
  @Prop({ type: Object, required: true }) countsByType!: Record<string, number>;
  @Prop({ type: Number, required: true }) distinctItems!: number;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const SessionArchiveSchema: MongooseSchema =
  SchemaFactory.createForClass(SessionArchiveDocument);
SessionArchiveSchema.index({ userId: 1, startedAt: -1 });
