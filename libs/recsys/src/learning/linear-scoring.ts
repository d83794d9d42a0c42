import type { FeatureBatch, ModelRunner } from '@kairos/model';

/**
 * The scoring geometry the online learner must follow so that its updates move the model's own
 * scores: scores = (pooled · P) · Eᵀ + priorWeight · prior. P and the prior weight are baked into
 * the graph, so they are recovered from the runner itself (see probeLinearScoring).
 */
export interface LinearScoring {
  readonly dimension: number;
  /** [D, D] row-major: projected[j] = Σ_i pooled[i] · projection[i·D + j]. */
  readonly projection: Float32Array;
  readonly priorWeight: number;
  /** True when recovered from the model, false when assumed (identity, prior weight 0). */
  readonly probed: boolean;
}

export function identityScoring(dimension: number): LinearScoring {
  const projection = new Float32Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) projection[i * dimension + i] = 1;
  return { dimension, projection, priorWeight: 0, probed: false };
}

/**
 * Recovers P and the prior weight with one inference call through the ModelRunner interface:
 * row j of the probe batch has a one-item history whose embedding is the unit vector e_j and an
 * item table whose first D rows are the unit vectors, so its scores are row j of P; one extra
 * row with an empty history and a one-hot prior reads the prior weight. Works for any model of
 * the pooled-dot-product family whatever its vocabulary; returns identity for other models.
 */
export async function probeLinearScoring(runner: ModelRunner): Promise<LinearScoring> {
  const dimension = runner.manifest.embeddingDimension;
  // Keep N at least the vocabulary size: runners may refuse a table smaller than the model's.
  const itemCount = Math.max(runner.vocabulary.length, dimension + 1);
  const batchSize = dimension + 1;
  const itemEmbeddings = new Float32Array(itemCount * dimension);
  for (let j = 0; j < dimension; j++) itemEmbeddings[j * dimension + j] = 1;
  const history = new BigInt64Array(batchSize);
  const historyWeights = new Float32Array(batchSize);
  for (let j = 0; j < dimension; j++) {
    history[j] = BigInt(j);
    historyWeights[j] = 1;
  }
  const itemPrior = new Float32Array(itemCount);
  // Row D has no history; item D (a zero embedding) carries prior 1, so its score is the weight.
  itemPrior[dimension] = 1;
  const batch: FeatureBatch = {
    batchSize,
    historyLength: 1,
    itemCount,
    embeddingDimension: dimension,
    history,
    historyWeights,
    itemEmbeddings,
    itemPrior,
    userEmbedding: new Float32Array(batchSize * dimension),
    excludeMask: new Float32Array(batchSize * itemCount),
  };
  const scored = await runner.run(batch);
  if (!scored.scores) return identityScoring(dimension);
  const scores = scored.scores;
  // Pooling divides by (Σw + ε); undo that tiny shrink so P is exact to float precision.
  const poolingScale = 1 + 1e-6;
  const projection = new Float32Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) {
    for (let j = 0; j < dimension; j++) {
      projection[i * dimension + j] = (scores[i * itemCount + j] ?? 0) * poolingScale;
    }
  }
  const priorWeight = scores[dimension * itemCount + dimension] ?? 0;
  return { dimension, projection, priorWeight, probed: true };
}
