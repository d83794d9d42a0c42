import type { FeatureBatch } from '@kairos/model';
import type { ResolvedHistory } from '../learning/history-pooling';
import type { ItemTable } from '../table/item-table';

/** One row of an inference batch: the user's resolved history, long-term vector and exclusions. */
export interface BatchRow {
  readonly history: ResolvedHistory;
  readonly userEmbedding: Float32Array | undefined;
  /** Rows this user must not get (seen, unavailable). */
  readonly excludedRows: Iterable<number>;
  /** When set, every row of another (or no) category is excluded too. */
  readonly category?: string;
}

/**
 * Builds ONE FeatureBatch for many users. The item table and prior are shared views (no copy);
 * the [B, N] exclude mask is the big per-batch allocation, so mask buffers are reused: a batch
 * owns its buffer from `build` until `release`. Batches run concurrently (one per Kafka
 * partition batch, plus GETs), so a single shared buffer would let one batch overwrite the
 * exclusions of another that is still being scored.
 */
export class FeatureBatchBuilder {
  private readonly freeMasks: Float32Array[] = [];

  constructor(private readonly historyLength: number) {}

  build(rows: readonly BatchRow[], table: ItemTable, prior: Float32Array): FeatureBatch {
    const batchSize = rows.length;
    const historyLength = this.historyLength;
    const itemCount = table.size;
    const dimension = table.dimension;
    const history = new BigInt64Array(batchSize * historyLength);
    const historyWeights = new Float32Array(batchSize * historyLength);
    const userEmbedding = new Float32Array(batchSize * dimension);
    const excludeMask = this.mask(batchSize * itemCount);

    rows.forEach((row, b) => {
      // Right-align so the newest item is always in the last column, padding (row 0, weight 0) first.
      const used = Math.min(row.history.rows.length, historyLength);
      const skip = row.history.rows.length - used;
      const base = b * historyLength + (historyLength - used);
      for (let l = 0; l < used; l++) {
        history[base + l] = BigInt(row.history.rows[skip + l] ?? 0);
        historyWeights[base + l] = row.history.weights[skip + l] ?? 0;
      }
      if (row.userEmbedding) userEmbedding.set(row.userEmbedding, b * dimension);
      const maskOffset = b * itemCount;
      for (const excluded of row.excludedRows) {
        if (excluded < itemCount) excludeMask[maskOffset + excluded] = 1;
      }
      if (row.category !== undefined) {
        for (let item = 0; item < itemCount; item++) {
          if (table.categoryAt(item) !== row.category) excludeMask[maskOffset + item] = 1;
        }
      }
    });

    return {
      batchSize,
      historyLength,
      itemCount,
      embeddingDimension: dimension,
      history,
      historyWeights,
      itemEmbeddings: table.embeddings,
      itemPrior: prior,
      userEmbedding,
      excludeMask,
    };
  }

  /** Returns the batch's mask buffer for reuse; the batch must not be read afterwards. */
  release(batch: FeatureBatch): void {
    this.freeMasks.push(new Float32Array(batch.excludeMask.buffer));
  }

  private mask(length: number): Float32Array {
    const free = this.freeMasks.pop();
    const buffer = free !== undefined && free.length >= length ? free : new Float32Array(length);
    const mask = buffer.subarray(0, length);
    mask.fill(0);
    return mask;
  }
}
