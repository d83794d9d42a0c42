import type { HeldOutTransition } from './holdout';
import {
  embeddingScores,
  poolHistory,
  projectPooled,
  recencyWeights,
  type ScoringParameters,
} from './pooled-scoring';

/**
 * Position the target would take in a TopK over `scores`: items scoring higher, plus items
 * scoring the same with a lower row (TopK's tie order; rows are sorted by popularity).
 */
function rankOf(scores: ArrayLike<number>, target: number): number {
  const targetScore = scores[target] ?? 0;
  let rank = 0;
  for (let n = 0; n < scores.length; n++) {
    const score = scores[n] ?? 0;
    if (score > targetScore || (score === targetScore && n < target)) rank += 1;
  }
  return rank;
}

/**
 * HR@k of the model for each candidate prior weight, over the same transitions: embedding
 * scores are computed once per transition and only the prior term changes per weight.
 */
export function modelHitRates(
  params: Omit<ScoringParameters, 'priorWeight'>,
  prior: Float32Array,
  transitions: readonly HeldOutTransition[],
  k: number,
  recencyDecay: number,
  priorWeights: readonly number[],
): number[] {
  const hits = priorWeights.map(() => 0);
  const combined = new Float64Array(prior.length);
  const scoring: ScoringParameters = { ...params, priorWeight: 0 };
  for (const { context, target } of transitions) {
    const weights = recencyWeights(context.length, recencyDecay);
    const base = embeddingScores(
      scoring,
      projectPooled(scoring, poolHistory(scoring, context, weights)),
    );
    priorWeights.forEach((priorWeight, index) => {
      for (let n = 0; n < base.length; n++)
        combined[n] = (base[n] ?? 0) + priorWeight * (prior[n] ?? 0);
      if (rankOf(combined, target) < k) hits[index]! += 1;
    });
  }
  return hits.map((count) => count / Math.max(1, transitions.length));
}

/** HR@k of recommending the k most interacted items to everybody, the baseline to beat. */
export function popularityHitRate(
  itemCounts: Float64Array,
  transitions: readonly HeldOutTransition[],
  k: number,
): number {
  let hits = 0;
  for (const { target } of transitions) if (rankOf(itemCounts, target) < k) hits += 1;
  return hits / Math.max(1, transitions.length);
}
