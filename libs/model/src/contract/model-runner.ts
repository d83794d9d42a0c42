import type { ModelManifest } from './model-contract';

/**
 * One inference batch as the recommender builds it: every bindable feature, row-major. The
 * runner hands the model only the features its manifest binds, so the caller never needs to
 * know which subset a model uses.
 */
export interface FeatureBatch {
  /** B */
  batchSize: number;
  /** L */
  historyLength: number;
  /** N: rows of the live item table (may exceed the model's vocabulary as new items arrive). */
  itemCount: number;
  /** D */
  embeddingDimension: number;
  history: BigInt64Array; // [B, L]
  historyWeights: Float32Array; // [B, L]
  itemEmbeddings: Float32Array; // [N, D]
  itemPrior: Float32Array; // [N]
  userEmbedding: Float32Array; // [B, D]
  excludeMask: Float32Array; // [B, N]
}

/** What a model returned for a batch, normalised to the contract's meanings. */
export interface ScoredBatch {
  batchSize: number;
  /** [B, N] when the model returns `scores`. */
  scores?: Float32Array;
  /** [B, K] pairs when the model returns `top_scores` + `top_indices`. */
  top?: { k: number; scores: Float32Array; indices: BigInt64Array };
}

/** A loaded, validated model version ready to serve. */
export interface ModelRunner {
  readonly manifest: ModelManifest;
  /** Item ids in row order (the model's vocabulary). */
  readonly vocabulary: readonly string[];
  /** Row-major [vocabulary.length, D] embeddings the model was trained with. */
  readonly baseEmbeddings: Float32Array;
  run(batch: FeatureBatch): Promise<ScoredBatch>;
}
