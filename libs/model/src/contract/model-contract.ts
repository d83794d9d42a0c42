// The model contract shared by the training CLI (which writes models), the registry (which
// validates and loads them) and the recommender engine (which feeds them). models/README.md is
// the human version of this file; keep the two in step.

/** Features the recommender can bind to a model input. A model may use any subset. */
export const BINDABLE_FEATURES = {
  /** Row indices of the user's recent items, oldest first, padded with 0. [B, L] */
  history: { dtype: 'int64', dims: ['B', 'L'] },
  /** Recency and event-type weights for `history`; 0 marks padding. [B, L] */
  history_weights: { dtype: 'float32', dims: ['B', 'L'] },
  /** The live, online-updated item embedding table. [N, D] */
  item_embeddings: { dtype: 'float32', dims: ['N', 'D'] },
  /** Popularity / trending prior, added to the scores. [N] */
  item_prior: { dtype: 'float32', dims: ['N'] },
  /** Long-term user vector. [B, D] */
  user_embedding: { dtype: 'float32', dims: ['B', 'D'] },
  /** 1 = the item must not be recommended to this user. [B, N] */
  exclude_mask: { dtype: 'float32', dims: ['B', 'N'] },
} as const;

export type BindableFeature = keyof typeof BINDABLE_FEATURES;

/** What a model output means. `scores` alone, or `top_scores` with `top_indices`, or all three. */
export const OUTPUT_MEANINGS = {
  scores: { dtype: 'float32', dims: ['B', 'N'] },
  top_scores: { dtype: 'float32', dims: ['B', 'K'] },
  top_indices: { dtype: 'int64', dims: ['B', 'K'] },
} as const;

export type OutputMeaning = keyof typeof OUTPUT_MEANINGS;

/** A file that belongs to a version; size and digest make a half-copied directory detectable. */
export interface ManifestFile {
  bytes: number;
  /** Lowercase hex SHA-256 of the file's content. */
  sha256: string;
}

/**
 * `models/<name>/<version>/manifest.json`. A version is complete, and only then loaded, when the
 * manifest parses and every file listed in `files` exists with exactly that size and digest:
 * copying with any tool in any order is safe.
 */
export interface ModelManifest {
  /** Always 1 for this contract. */
  schemaVersion: 1;
  name: string;
  version: string;
  /** ISO-8601 creation time. */
  created: string;
  /** D: columns of `item_embeddings` and `user_embedding`. */
  embeddingDimension: number;
  /** File names are relative to the version directory; `model.onnx` is always one of them. */
  files: Record<string, ManifestFile>;
  /** Item ids in row order, one per line, UTF-8 (`items.txt`). Row i of every [N] axis is line i. */
  vocabulary: { file: string; size: number };
  /** Row-major little-endian float32 [size, embeddingDimension] base embeddings (`item_embeddings.f32`). */
  baseEmbeddings: { file: string };
  /** Graph input name → the feature bound to it. */
  inputs: Record<string, BindableFeature>;
  /** Graph output name → what it means. */
  outputs: Record<string, OutputMeaning>;
  /** K of `top_scores`/`top_indices` when the graph returns them. */
  topK?: number;
  /** Free-form provenance: data file, format, seed, hyper-parameters. */
  training?: Record<string, unknown>;
  /** Offline metrics measured at training time, by name. */
  metrics?: Record<string, number>;
}

export const MANIFEST_FILE = 'manifest.json';
export const MODEL_FILE = 'model.onnx';
