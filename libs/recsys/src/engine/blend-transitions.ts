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

  const candidateCount = rows.length;
  const blendedScores = new Float64Array(candidateCount);
  for (let position = 0; position < candidateCount; position++) {
    const row = rows[position] ?? -1;
    blendedScores[position] =
      ((modelScores[position] ?? 0) - mean) / std + blend.weight * scratch.value(row, 0);
  }
  const best = bestPositions(rows, blendedScores, k);
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

/**
 * Positions of the k best candidates by blended score, ties by row. An insertion sort: the
 * candidates arrive nearly in order (the model's pool sorted, only the rows a transition lifted
 * out of place), so it does little more than one pass, with no comparator call per comparison;
 * `Array.prototype.sort` with a comparator was half of the blend's time.
 */
function bestPositions(rows: readonly number[], scores: Float64Array, k: number): number[] {
  const order: number[] = [];
  for (let position = 0; position < rows.length; position++) {
    const score = scores[position] ?? 0;
    const row = rows[position] ?? 0;
    let at = order.length;
    while (at > 0) {
      const before = order[at - 1] ?? 0;
      const beforeScore = scores[before] ?? 0;
      if (beforeScore > score || (beforeScore === score && (rows[before] ?? 0) < row)) break;
      order[at] = before;
      at -= 1;
    }
    order[at] = position;
  }
  return order.slice(0, k);
}
