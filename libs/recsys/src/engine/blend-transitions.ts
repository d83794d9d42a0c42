import type { ScoredBatch } from '@kairos/model';
import { selectForRow } from './select-recommendations';
import type { ComponentTops } from './adaptive-blend-weight';
import { RowFlags } from './row-flags';
import type { ScoredIndex } from './top-k';

/** Scratch of the one answer being blended: blendForRow is synchronous, so one serves all. */
const scratch = new RowFlags();
const CANDIDATE = 1;

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

  let sum = 0;
  let sumSquares = 0;
  for (const { score } of modelPool) {
    sum += score;
    sumSquares += score * score;
  }
  const count = Math.max(1, modelPool.length);
  const mean = sum / count;
  const std = Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) || 1;
  const floor = modelPool[modelPool.length - 1]?.score ?? mean;

  // Candidates: the model's pool, then transition rows outside it (with their model score).
  // Membership and strengths go through the row scratch instead of a Map per answer.
  scratch.reset(itemCount);
  const rows: number[] = [];
  const modelScores: number[] = [];
  for (const { index, score } of modelPool) {
    scratch.add(index, CANDIDATE);
    rows.push(index);
    modelScores.push(score);
  }
  const rowOffset = b * itemCount;
  const transitionRanked: ScoredIndex[] = [];
  blend.strengthByRow.forEach((strength, row) => {
    if (row < 0 || row >= itemCount || isExcluded(row)) return;
    transitionRanked.push({ index: row, score: strength });
    scratch.setValue(row, strength);
    if ((scratch.get(row) & CANDIDATE) !== 0) return;
    scratch.add(row, CANDIDATE);
    rows.push(row);
    modelScores.push(scored.scores?.[rowOffset + row] ?? floor);
  });

  const blendedScores = modelScores.map(
    (score, position) =>
      (score - mean) / std + blend.weight * scratch.value(rows[position] ?? -1, 0),
  );
  // Positions, best first (ties by row); only the first k become objects.
  const order = rows.map((_, position) => position);
  order.sort(
    (x, y) => (blendedScores[y] ?? 0) - (blendedScores[x] ?? 0) || (rows[x] ?? 0) - (rows[y] ?? 0),
  );
  const best = order.slice(0, k);
  transitionRanked.sort((x, y) => y.score - x.score || x.index - y.index);
  return {
    picked: best.map((position) => ({
      index: rows[position] ?? -1,
      score: blendedScores[position] ?? 0,
    })),
    tops: {
      blendedTop: best.map((position) => rows[position] ?? -1),
      modelTop: modelPool.slice(0, k).map((item) => item.index),
      transitionTop: transitionRanked.slice(0, k).map((item) => item.index),
    },
  };
}
