import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate } from '@kairos/recsys';

/**
 * Port: online-learned item rows and user vectors, each in the space of the model named.
 * Adapters: MongoDB (`item_embeddings`, `user_embeddings`; EmbeddingRepository) and memory.
 * Both copy vectors on the way in and out (the engine keeps mutating its rows).
 */
export abstract class EmbeddingStore {
  abstract saveRows(rows: readonly ItemRowUpdate[], model: ModelRef, now: number): Promise<void>;
  /** Every row learned for `model`. */
  abstract rowsOf(model: ModelRef): AsyncGenerator<ItemRowUpdate>;
  abstract saveUsers(
    vectors: ReadonlyArray<{ userId: string; vector: Float32Array }>,
    model: ModelRef,
    now: number,
  ): Promise<void>;
  /** Stored vectors of these users in `model`'s space (vectors of other models are skipped). */
  abstract usersOf(userIds: readonly string[], model: ModelRef): Promise<Map<string, Float32Array>>;
}
