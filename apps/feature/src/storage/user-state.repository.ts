import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type mongo } from 'mongoose';
import { type UserState } from '../sessions/user-state';
import { fromStoredState, toStoredState } from './user-state.mapper';
import { type StoredUserState, UserStateDocument } from './user-state.schema';
import { UserStateStore, type VersionedState } from './user-state.store';

export type { VersionedState };

/**
 * `$in` lists are split into chunks this long: mongo-java-server evaluates a long `$in` in time
 * quadratic in its length (a 3,000-id load took 2.3x longer than ten 300-id loads), and MongoDB
 * gains nothing from longer lists.
 */
const LOAD_CHUNK = 300;

interface LeanUserState {
  readonly _id: string;
  readonly version: number;
  readonly writer?: string;
  readonly state: StoredUserState;
}

/** The document as the driver sees it. */
interface RawUserState extends LeanUserState {
  readonly updatedAt: Date;
}

/** The UserStateStore port on MongoDB `user_profiles`. */
@Injectable()
export class UserStateRepository extends UserStateStore {
  constructor(
    @InjectModel(UserStateDocument.name) private readonly model: Model<UserStateDocument>,
  ) {
    super();
  }

  /**
   * Query served by `_id`. Reads go through the driver's collection: the documents are plain
   * data (`state` is `type: Object`), so mongoose's casting and cloning were pure CPU cost (the
   * largest share of the feature process's own time in a CPU profile of bench/feature).
   */
  async loadMany(userIds: readonly string[]): Promise<Map<string, VersionedState>> {
    const loaded = new Map<string, VersionedState>();
    const collection = this.raw();
    for (let start = 0; start < userIds.length; start += LOAD_CHUNK) {
      const docs = await collection
        .find(
          { _id: { $in: userIds.slice(start, start + LOAD_CHUNK) } },
          { projection: { _id: 1, version: 1, state: 1 } },
        )
        .toArray();
      for (const doc of docs) {
        loaded.set(doc._id, { state: fromStoredState(doc._id, doc.state), version: doc.version });
      }
    }
    return loaded;
  }

  /** The driver collection behind the model, typed with our document shape. */
  private raw(): mongo.Collection<RawUserState> {
    return this.model.collection as unknown as mongo.Collection<RawUserState>;
  }

  async findOne(userId: string): Promise<UserState | null> {
    const doc = await this.model
      .findOne({ _id: userId }, { _id: 1, state: 1 })
      .lean<LeanUserState>()
      .exec();
    return doc === null ? null : fromStoredState(doc._id, doc.state);
  }

  /**
   * Writes each state only if its stored version is still the one read (one unordered
   * bulkWrite). Returns the userIds whose write lost a race (another consumer wrote first, e.g.
   * during a rebalance); the caller reloads and reapplies those. When the counts show a shortfall,
   * the winners are identified by reading back a token unique to this call (bulk results do not
   * say which operation matched).
   */
  async saveMany(writes: ReadonlyArray<VersionedState>, now: number): Promise<string[]> {
    if (writes.length === 0) return [];
    const writer = randomUUID();
    const updatedAt = new Date(now);
    try {
      // The driver's bulkWrite, for the same reason as loadMany: no casting of plain data.
      const result = await this.raw().bulkWrite(
        writes.map(({ state, version }): mongo.AnyBulkWriteOperation<RawUserState> => {
          const doc = { version: version + 1, writer, state: toStoredState(state), updatedAt };
          return version === 0
            ? { insertOne: { document: { _id: state.userId, ...doc } } }
            : { updateOne: { filter: { _id: state.userId, version }, update: { $set: doc } } };
        }),
        { ordered: false },
      );
      // Every conditional write matched: no race was lost, no need to read the tokens back.
      if (result.matchedCount + result.insertedCount === writes.length) return [];
    } catch (error) {
      // Duplicate key = a concurrent first write of the same user: a lost race, reported below.
      if (!isOnlyDuplicateKeyErrors(error)) throw error;
    }
    const ids = writes.map((write) => write.state.userId);
    const written = await this.model
      .find({ _id: { $in: ids } }, { _id: 1, writer: 1 })
      .lean<Array<Pick<LeanUserState, '_id' | 'writer'>>>()
      .exec();
    const won = new Set(written.filter((doc) => doc.writer === writer).map((doc) => doc._id));
    return ids.filter((id) => !won.has(id));
  }
}

function isOnlyDuplicateKeyErrors(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return false;
  const writeErrors = error.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return (
    list.length > 0 &&
    list.every(
      (e) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000,
    )
  );
}
