import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, mongo } from 'mongoose';
import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate } from '@kairos/recsys';
import { ItemEmbeddingDocument, UserEmbeddingDocument } from './embedding.schema';
import { EmbeddingStore, type UserVectorUpdate } from './embedding.store';
import { packRowBatches, unpackRowBatch } from './item-row-batches';

/** `$in` lists are chunked (see the feature service's UserStateRepository for why). */
const LOAD_CHUNK = 300;
/**
 * User vectors are written in bulkWrites of at most this many, one after the other. The
 * MongoDB-protocol server applies writes one command at a time: a single 1,000-document command
 * held it for about a second (measured, mongo-java-server), and every list and session write of
 * the pipeline waited behind it. Between chunks, those writes get their turn.
 */
const WRITE_CHUNK = 200;
/**
 * A full write drops the batches stored before it, except those of the last few seconds: another
 * replica may have written rows then that have not reached this one through the topic yet (they
 * normally arrive within milliseconds; replica clocks are assumed to agree to well within this).
 */
const KEEP_AFTER_FULL_WRITE_MS = 10_000;

/** A batch of rows as stored (see ItemEmbeddingDocument). */
interface StoredRowBatch {
  readonly model: ModelRef;
  readonly itemIds: string[];
  readonly versions: number[];
  readonly vectors: mongo.Binary;
  readonly updatedAt: Date;
}

/** One item's row in the shape written before rows were stored in batches. */
interface StoredLegacyRow {
  readonly _id: string;
  readonly model: ModelRef;
  readonly version: number;
  readonly vector: mongo.Binary;
  readonly updatedAt: Date;
}

type StoredItemDocument = StoredRowBatch | StoredLegacyRow;

interface StoredUserVector {
  readonly _id: string;
  readonly model: ModelRef;
  readonly vector: mongo.Binary;
  readonly updatedAt: Date;
}

/** The EmbeddingStore port on MongoDB: item rows and user vectors, written in batches. */
@Injectable()
export class EmbeddingRepository extends EmbeddingStore implements OnModuleInit {
  constructor(
    @InjectModel(ItemEmbeddingDocument.name) private readonly items: Model<ItemEmbeddingDocument>,
    @InjectModel(UserEmbeddingDocument.name) private readonly users: Model<UserEmbeddingDocument>,
  ) {
    super();
  }

  /** Mongoose's autoIndex is off (StorageModule): indexes are created here, idempotently. */
  async onModuleInit(): Promise<void> {
    await this.itemCollection().createIndex(
      { 'model.name': 1, 'model.version': 1, updatedAt: 1 },
      { name: 'model_name_version_updated_at' },
    );
  }

  async appendRows(rows: readonly ItemRowUpdate[], model: ModelRef, now: number): Promise<void> {
    // Packed now, synchronously: the engine keeps changing its rows during the awaits.
    const batches = packRowBatches(rows);
    const updatedAt = new Date(now);
    // One command per batch, so the pipeline's list and session writes get turns in between.
    for (const batch of batches) {
      await this.itemCollection().insertOne({
        model: { ...model },
        itemIds: batch.itemIds,
        versions: batch.versions,
        vectors: new mongo.Binary(batch.vectors),
        updatedAt,
      });
    }
  }

  /** Appends every learned row, then drops the batches that made them redundant. */
  async replaceAllRows(
    rows: readonly ItemRowUpdate[],
    model: ModelRef,
    now: number,
  ): Promise<void> {
    await this.appendRows(rows, model, now);
    await this.itemCollection().deleteMany({
      'model.name': model.name,
      'model.version': model.version,
      updatedAt: { $lt: new Date(now - KEEP_AFTER_FULL_WRITE_MS) },
    });
  }

  /** Rows stored for `model` in write order (query served by the model index). */
  async *rowsOf(model: ModelRef): AsyncGenerator<ItemRowUpdate> {
    const cursor = this.itemCollection()
      .find(
        { 'model.name': model.name, 'model.version': model.version },
        // MONGODB_OPERATION_TIMEOUT_MS bounds each batch of the cursor, not the whole restore,
        // which for a large catalog may rightly take longer.
        { timeoutMode: mongo.CursorTimeoutMode.ITERATION },
      )
      .sort({ updatedAt: 1, _id: 1 });
    for await (const doc of cursor) {
      if ('itemIds' in doc) {
        yield* unpackRowBatch({ ...doc, vectors: doc.vectors.buffer });
      } else {
        yield { itemId: String(doc._id), version: doc.version, vector: fromBinary(doc.vector) };
      }
    }
  }

  async saveUsers(
    vectors: Iterable<UserVectorUpdate>,
    model: ModelRef,
    now: number,
  ): Promise<void> {
    const updatedAt = new Date(now);
    // Each chunk's operations are built (and its vectors copied) only when it is written, so a
    // checkpoint behind by 50,000 users holds 200 of them at a time, not all (about 1 KB each).
    for (const chunk of chunksOf(vectors, WRITE_CHUNK)) {
      const operations = chunk.map(({ userId, vector }) => ({
        replaceOne: {
          filter: { _id: userId },
          replacement: { model: { ...model }, vector: toBinary(vector), updatedAt },
          upsert: true,
        },
      }));
      await this.userCollection().bulkWrite(operations, { ordered: false });
    }
  }

  /** Stored vectors of these users in `model`'s space (query served by `_id`). */
  async usersOf(userIds: readonly string[], model: ModelRef): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    for (let start = 0; start < userIds.length; start += LOAD_CHUNK) {
      const docs = await this.userCollection()
        .find({ _id: { $in: userIds.slice(start, start + LOAD_CHUNK) } })
        .toArray();
      for (const doc of docs) {
        if (doc.model.name === model.name && doc.model.version === model.version)
          found.set(doc._id, fromBinary(doc.vector));
      }
    }
    return found;
  }

  private itemCollection(): mongo.Collection<StoredItemDocument> {
    return this.items.collection as unknown as mongo.Collection<StoredItemDocument>;
  }

  private userCollection(): mongo.Collection<StoredUserVector> {
    return this.users.collection as unknown as mongo.Collection<StoredUserVector>;
  }
}

/** Consecutive slices of at most `size` items, each taken from `items` only when asked for. */
function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function toBinary(vector: Float32Array): mongo.Binary {
  // A copy: the engine keeps mutating its rows while the driver serialises the batch.
  return new mongo.Binary(
    Buffer.from(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength)),
  );
}

/** Copies out of the driver's buffer (its offset need not be 4-byte aligned). */
function fromBinary(binary: mongo.Binary): Float32Array {
  const bytes = binary.buffer;
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}
