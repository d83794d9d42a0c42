import { Injectable } from '@nestjs/common';
import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate } from '@kairos/recsys';
import {
  type SnapshotParticipant,
  StateSnapshots,
  vectorFromBase64,
  vectorToBase64,
} from '@kairos/storage';
import { EmbeddingStore, type UserVectorUpdate } from './embedding.store';

interface ItemRow {
  readonly model: ModelRef;
  readonly version: number;
  readonly vector: Float32Array;
}

interface UserVector {
  readonly model: ModelRef;
  readonly vector: Float32Array;
}

type Dumped = {
  items: Array<[string, { model: ModelRef; version: number; vector: string }]>;
  users: Array<[string, { model: ModelRef; vector: string }]>;
};

/** Item rows and user vectors in memory (embedded mode), part of the state snapshot. */
@Injectable()
export class MemoryEmbeddingStore extends EmbeddingStore implements SnapshotParticipant {
  readonly snapshotKey = 'recommender.embeddings';
  private items = new Map<string, ItemRow>();
  private users = new Map<string, UserVector>();

  constructor(snapshots: StateSnapshots) {
    super();
    snapshots.register(this);
  }

  appendRows(rows: readonly ItemRowUpdate[], model: ModelRef, _now: number): Promise<void> {
    for (const row of rows) {
      this.items.set(row.itemId, {
        model: { ...model },
        version: row.version,
        vector: Float32Array.from(row.vector),
      });
    }
    return Promise.resolve();
  }

  async replaceAllRows(
    rows: readonly ItemRowUpdate[],
    model: ModelRef,
    now: number,
  ): Promise<void> {
    for (const [itemId, row] of [...this.items]) {
      if (sameModel(row.model, model)) this.items.delete(itemId);
    }
    await this.appendRows(rows, model, now);
  }

  async *rowsOf(model: ModelRef): AsyncGenerator<ItemRowUpdate> {
    for (const [itemId, row] of [...this.items]) {
      if (!sameModel(row.model, model)) continue;
      yield { itemId, version: row.version, vector: Float32Array.from(row.vector) };
      await Promise.resolve();
    }
  }

  saveUsers(vectors: Iterable<UserVectorUpdate>, model: ModelRef, _now: number): Promise<void> {
    for (const { userId, vector } of vectors) {
      this.users.set(userId, { model: { ...model }, vector: Float32Array.from(vector) });
    }
    return Promise.resolve();
  }

  usersOf(userIds: readonly string[], model: ModelRef): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    for (const userId of userIds) {
      const stored = this.users.get(userId);
      if (stored !== undefined && sameModel(stored.model, model)) {
        found.set(userId, Float32Array.from(stored.vector));
      }
    }
    return Promise.resolve(found);
  }

  dump(): Dumped {
    return {
      items: [...this.items].map(([id, row]) => [
        id,
        { model: row.model, version: row.version, vector: vectorToBase64(row.vector) },
      ]),
      users: [...this.users].map(([id, user]) => [
        id,
        { model: user.model, vector: vectorToBase64(user.vector) },
      ]),
    };
  }

  restore(data: unknown): void {
    const dumped = data as Dumped;
    this.items = new Map(
      dumped.items.map(([id, row]) => [id, { ...row, vector: vectorFromBase64(row.vector) }]),
    );
    this.users = new Map(
      dumped.users.map(([id, user]) => [id, { ...user, vector: vectorFromBase64(user.vector) }]),
    );
  }
}

function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.name === b.name && a.version === b.version;
}
