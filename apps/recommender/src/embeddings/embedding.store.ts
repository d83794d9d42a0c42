import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate } from '@kairos/recsys';

export interface UserVectorUpdate {
  readonly userId: string;
  readonly vector: Float32Array;
}

/**
 * Port: online-learned item rows and user vectors, each in the space of the model named.
 * Adapters: MongoDB (`item_embeddings`, `user_embeddings`; EmbeddingRepository) and memory.
 * Both copy vectors on the way in and out (the engine keeps mutating its rows).
 *
 * Item rows are written as a log with periodic full writes: `appendRows` stores the rows changed
 * since the last write, `replaceAllRows` every learned row, after which what was stored before
 * may be dropped. The caller decides when a full write is due (it knows the table's size).
 */
export abstract class EmbeddingStore {
  abstract appendRows(rows: readonly ItemRowUpdate[], model: ModelRef, now: number): Promise<void>;
  abstract replaceAllRows(
    rows: readonly ItemRowUpdate[],
    model: ModelRef,
    now: number,
  ): Promise<void>;
  /**
   * Rows stored for `model`, in the order they were written: an item may come more than once,
   * its latest row last. Applying them in order (stale versions ignored) restores the table.
   */
  abstract rowsOf(model: ModelRef): AsyncGenerator<ItemRowUpdate>;
  /**
   * Takes the vectors one by one as it writes them (a checkpoint hands the engine's live
   * vectors, read as late as possible): each is copied before the store's next await, so what a
   * write holds is bounded by one bulk write however many users changed since the last one.
   */
  abstract saveUsers(
    vectors: Iterable<UserVectorUpdate>,
    model: ModelRef,
    now: number,
  ): Promise<void>;
  /** Stored vectors of these users in `model`'s space (vectors of other models are skipped). */
  abstract usersOf(userIds: readonly string[], model: ModelRef): Promise<Map<string, Float32Array>>;
}
