import type { ScoredBatch } from '@kairos/model';
import { selectForRow } from './select-recommendations';
import type { ComponentTops } from './adaptive-blend-weight';
import type { ScoredIndex } from './top-k';

export interface TransitionBlend {
  /** Transition strength per table row (rows outside the table are ignored). */
  readonly strengthByRow: ReadonlyMap<number, number>;
  /** How many model standard deviations a transition strength of 1 is worth. */
  readonly weight: number;
  /** How many of the model's best rows are re-ranked together with the transition candidates. */
  readonly modelCandidates: number;
}

export interface BlendedAnswer {
  readonly picked: ScoredIndex[];
  /** Each component's own top k, when both had candidates (to learn the weight from). */
  readonly tops?: ComponentTops;
}

/**
 * The k best allowed rows for batch row `b` under `standardised model score + weight ×
 * transition strength`. Model scores are standardised over the model's own candidates (their
 * scale differs from model to model, a transition strength is a probability), so one weight
 * means the same on every model. Candidates come from both sources; a transition candidate
 * outside the model's list takes its full score when the model returns one, else the lowest
 * candidate score. Excluded rows never come back.
 */
export function blendForRow(
  scored: ScoredBatch,
  b: number,
  k: number,
  itemCount: number,
  isExcluded: (row: number) => boolean,
  blend: TransitionBlend,
): BlendedAnswer {
  const poolSize = Math.max(k, blend.modelCandidates);
  const modelPool = selectForRow(scored, b, poolSize, itemCount, isExcluded);
  if (blend.strengthByRow.size === 0) return { picked: modelPool.slice(0, k) };

  const modelScore = new Map<number, number>();
  let sum = 0;
  let sumSquares = 0;
  for (const { index, score } of modelPool) {
    modelScore.set(index, score);
    sum += score;
    sumSquares += score * score;
  }
  const count = Math.max(1, modelPool.length);
  const mean = sum / count;
  const std = Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) || 1;
  const floor = modelPool[modelPool.length - 1]?.score ?? mean;

  const rowOffset = b * itemCount;
  const transitionRanked: ScoredIndex[] = [];
  blend.strengthByRow.forEach((strength, row) => {
    if (row < 0 || row >= itemCount || isExcluded(row)) return;
    transitionRanked.push({ index: row, score: strength });
    if (!modelScore.has(row)) modelScore.set(row, scored.scores?.[rowOffset + row] ?? floor);
  });

  const blended: ScoredIndex[] = [];
  modelScore.forEach((score, index) => {
    const strength = blend.strengthByRow.get(index) ?? 0;
    blended.push({ index, score: (score - mean) / std + blend.weight * strength });
  });
  blended.sort((x, y) => y.score - x.score || x.index - y.index);
  transitionRanked.sort((x, y) => y.score - x.score || x.index - y.index);
  const topRows = (ranked: ScoredIndex[]): number[] => ranked.slice(0, k).map((item) => item.index);
  return {
    picked: blended.slice(0, k),
    tops: {
      blendedTop: topRows(blended),
      modelTop: topRows(modelPool),
      transitionTop: topRows(transitionRanked),
    },
  };
}
