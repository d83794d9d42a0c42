import { type ItemRowUpdate } from '@kairos/recsys';

/**
 * Item rows packed for storage: ids and versions side by side, the vectors one after the other
 * as little-endian float32 bytes. One document per batch, bounded in size.
 */
export interface PackedRowBatch {
  readonly itemIds: string[];
  readonly versions: number[];
  readonly vectors: Buffer;
}

/**
 * Vector bytes per stored batch: far below BSON's 16 MiB document limit, large enough that a
 * 10,000 x 64 table is three documents.
 */
const BATCH_VECTOR_BYTES = 1 << 20;

/** Packs rows into batches of at most BATCH_VECTOR_BYTES of vectors (at least one row each). */
export function packRowBatches(rows: readonly ItemRowUpdate[]): PackedRowBatch[] {
  const first = rows[0];
  if (first === undefined) return [];
  const rowBytes = first.vector.length * 4;
  const rowsPerBatch = Math.max(1, Math.floor(BATCH_VECTOR_BYTES / rowBytes));
  const batches: PackedRowBatch[] = [];
  for (let start = 0; start < rows.length; start += rowsPerBatch) {
    const slice = rows.slice(start, start + rowsPerBatch);
    // A copy: the engine keeps mutating its rows while the driver serialises the batch.
    const vectors = new Float32Array(slice.length * first.vector.length);
    slice.forEach((row, i) => {
      if (row.vector.length !== first.vector.length) {
        throw new Error(
          `row ${row.itemId} has ${row.vector.length} values, the batch has ${first.vector.length}`,
        );
      }
      vectors.set(row.vector, i * first.vector.length);
    });
    batches.push({
      itemIds: slice.map((row) => row.itemId),
      versions: slice.map((row) => row.version),
      vectors: Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
    });
  }
  return batches;
}

/** The rows of a stored batch, each vector a fresh copy; throws on a batch that does not add up. */
export function unpackRowBatch(batch: {
  itemIds: readonly string[];
  versions: readonly number[];
  vectors: Uint8Array;
}): ItemRowUpdate[] {
  const count = batch.itemIds.length;
  const floats = batch.vectors.byteLength / 4;
  if (count === 0 || batch.versions.length !== count || floats % count !== 0) {
    throw new Error(
      `stored row batch does not add up: ${count} id(s), ${batch.versions.length} version(s), ` +
        `${batch.vectors.byteLength} vector bytes`,
    );
  }
  // Copied out of the driver's buffer, whose offset need not be 4-byte aligned.
  const all = new Float32Array(floats);
  new Uint8Array(all.buffer).set(batch.vectors);
  const dimension = floats / count;
  return batch.itemIds.map((itemId, i) => ({
    itemId,
    version: batch.versions[i] ?? 0,
    vector: all.slice(i * dimension, (i + 1) * dimension),
  }));
}
