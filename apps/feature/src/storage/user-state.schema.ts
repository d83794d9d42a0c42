import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type Schema as MongooseSchema } from 'mongoose';

/**
 * One document per user in `user_profiles`: the whole UserState, so a batch updates a user
 * atomically with one write. Maps whose keys are ids (affinities) are stored as arrays, because
 * item ids may contain dots, which MongoDB treats as paths in field names.
 *
 * Indexes: `_id` (the userId) serves every query (load a batch of users, GET a user's session).
 */
@Schema({ collection: 'user_profiles', versionKey: false, minimize: false, strict: true })
export class UserStateDocument {
  @Prop({ type: String, required: true }) _id!: string;
  /** Optimistic concurrency: writes are conditional on the version they read. */
  @Prop({ type: Number, required: true }) version!: number;
  /** Token of the last writer, read back to tell which conditional writes won. */
  @Prop({ type: String, required: true }) writer!: string;
  @Prop({ type: Object, required: true }) state!: StoredUserState;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export const UserStateSchema: MongooseSchema = SchemaFactory.createForClass(UserStateDocument);

export interface StoredAffinity {
  readonly key: string;
  readonly score: number;
  readonly updatedAt: number;
}

/** UserState with id-keyed maps as arrays (see above); everything else as in the domain. */
export interface StoredUserState {
  readonly session: unknown;
  readonly profile: {
    readonly totalsByType: Record<string, number>;
    readonly totalEvents: number;
    readonly recentSessions: unknown[];
    readonly itemAffinities: StoredAffinity[];
    readonly categoryAffinities: StoredAffinity[];
  };
  readonly watermark: number;
  readonly lastEventId: string | null;
  readonly lastEventTime: number | null;
  readonly appliedPartition: number | null;
  readonly appliedOffset: string | null;
  readonly recentEventIds: string[];
}
