// The model's scoring formula in plain TypeScript. The ONNX graph computes exactly this, the
// trainer optimises it, and the offline metrics use it:
//   pooled    = Σ_l w_l · E[h_l] / (Σ_l w_l + ε)
//   scores    = (pooled · P) · Eᵀ + priorWeight · prior − 1e9 · excludeMask

/** Added to the weight sum so an empty (all-padding) history pools to zero instead of NaN. */
export const POOLING_EPSILON = 1e-6;
/** Subtracted from excluded items' scores; large enough to sink them below every real score. */
export const EXCLUDED_PENALTY = 1e9;

export interface ScoringParameters {
  /** D */
  dimension: number;
  /** [N, D] row-major. */
  itemEmbeddings: Float32Array;
  /** [D, D] row-major: projected[j] = Σ_i pooled[i] · projection[i·D + j]. */
  projection: Float32Array;
  priorWeight: number;
}

/** Recency weights for a history of `length` items, oldest first: decay^(age), newest = 1. */
export function recencyWeights(length: number, decay: number): Float32Array {
  return Float32Array.from({ length }, (_, index) => decay ** (length - 1 - index));
}

export function poolHistory(
  params: ScoringParameters,
  history: ArrayLike<number>,
  weights: ArrayLike<number>,
): Float64Array {
  const { dimension, itemEmbeddings } = params;
  const pooled = new Float64Array(dimension);
  let weightSum = 0;
  for (let l = 0; l < history.length; l++) {
    const weight = weights[l] ?? 0;
    const offset = (history[l] ?? 0) * dimension;
    weightSum += weight;
    for (let d = 0; d < dimension; d++) pooled[d]! += weight * (itemEmbeddings[offset + d] ?? 0);
  }
  const scale = 1 / (weightSum + POOLING_EPSILON);
  for (let d = 0; d < dimension; d++) pooled[d]! *= scale;
  return pooled;
}

export function projectPooled(params: ScoringParameters, pooled: Float64Array): Float64Array {
  const { dimension, projection } = params;
  const projected = new Float64Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const value = pooled[i] ?? 0;
    const row = i * dimension;
    for (let j = 0; j < dimension; j++) projected[j]! += value * (projection[row + j] ?? 0);
  }
  return projected;
}

/** Embedding score of every item (no prior, no mask): projected · E[n]. */
export function embeddingScores(params: ScoringParameters, projected: Float64Array): Float64Array {
  const { dimension, itemEmbeddings } = params;
  const itemCount = itemEmbeddings.length / dimension;
  const scores = new Float64Array(itemCount);
  for (let n = 0; n < itemCount; n++) {
    const offset = n * dimension;
    let dot = 0;
    for (let d = 0; d < dimension; d++)
      dot += (projected[d] ?? 0) * (itemEmbeddings[offset + d] ?? 0);
    scores[n] = dot;
  }
  return scores;
}

/** The full formula for one user: what the graph's `scores` output holds for that row. */
export function scoreHistory(
  params: ScoringParameters,
  history: ArrayLike<number>,
  weights: ArrayLike<number>,
  prior: ArrayLike<number>,
  excludeMask?: ArrayLike<number>,
): Float64Array {
  const scores = embeddingScores(
    params,
    projectPooled(params, poolHistory(params, history, weights)),
  );
  for (let n = 0; n < scores.length; n++) {
    scores[n] =
      (scores[n] ?? 0) +
      params.priorWeight * (prior[n] ?? 0) -
      EXCLUDED_PENALTY * (excludeMask?.[n] ?? 0);
  }
  return scores;
}
