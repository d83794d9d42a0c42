import type { ScoredBatch } from '@kairos/model';
import { SeededRandom } from '../domain/seeded-random';
import { blendForRow, type BlendedAnswer, type TransitionBlend } from './blend-transitions';
import { selectForRow } from './select-recommendations';

// One batch row over six items; the model prefers 0 > 1 > 2 > 3 > 4 > 5.
const fullScores: ScoredBatch = { batchSize: 1, scores: Float32Array.from([6, 5, 4, 3, 2, 1]) };
const nothingExcluded = (): boolean => false;

function ranked(
  scored: ScoredBatch,
  strengths: [number, number][],
  weight: number,
  isExcluded: (row: number) => boolean = nothingExcluded,
): number[] {
  return blendForRow(scored, 0, 3, 6, isExcluded, {
    strengthByRow: new Map(strengths),
    weight,
    modelCandidates: 3,
  }).picked.map((item) => item.index);
}

describe('blendForRow', () => {
  it('keeps the model ranking without transitions or with weight 0', () => {
    expect(ranked(fullScores, [], 4)).toEqual([0, 1, 2]);
    expect(ranked(fullScores, [[5, 1]], 0)).toEqual([0, 1, 2]);
  });

  it('lifts a strong successor from outside the model candidates to the top', () => {
    // Row 3 standardises to -2.45; a certain successor (+4) ends above row 0 (1.22).
    expect(ranked(fullScores, [[3, 1]], 4)).toEqual([3, 0, 1]);
  });

  it('lets a weak transition only reorder close model scores', () => {
    // Standardised over {6, 5, 4}: 1.22, 0, -1.22; +0.25 × 4 = 1 lifts row 2 over row 1 only.
    expect(ranked(fullScores, [[2, 0.35]], 4)).toEqual([0, 2, 1]);
  });

  it('never returns an excluded successor', () => {
    expect(ranked(fullScores, [[5, 1]], 4, (row) => row === 5)).toEqual([0, 1, 2]);
  });

  it('works from a model top-k alone, placing unseen successors at the lowest candidate score', () => {
    const topOnly: ScoredBatch = {
      batchSize: 1,
      top: {
        k: 3,
        scores: Float32Array.from([6, 5, 4]),
        indices: BigInt64Array.from([0n, 1n, 2n]),
      },
    };
    expect(ranked(topOnly, [[4, 0.5]], 4)).toEqual([0, 4, 1]);
  });

  it('answers exactly as the plain Map-and-sort formulation on random rows, exclusions and ties', () => {
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 300; trial++) {
      const items = 20 + random.nextInt(200);
      const batchSize = 1 + random.nextInt(3);
      // Scores on a coarse grid, so ties (broken by row) are common.
      const scores = Float32Array.from({ length: batchSize * items }, () => random.nextInt(12));
      const scored: ScoredBatch = { batchSize, scores };
      if (trial % 2 === 1) {
        // A model's own top-k: sorted by score, ties in any order; sometimes without scores.
        const topK = 1 + random.nextInt(items);
        const topScores = new Float32Array(batchSize * topK);
        const topIndices = new BigInt64Array(batchSize * topK);
        for (let row = 0; row < batchSize; row++) {
          const order = Array.from({ length: items }, (_, index) => index)
            .map((index) => ({
              index,
              score: scores[row * items + index] ?? 0,
              tie: random.next(),
            }))
            .sort((x, y) => y.score - x.score || x.tie - y.tie)
            .slice(0, topK);
          order.forEach(({ index, score }, position) => {
            topScores[row * topK + position] = score;
            topIndices[row * topK + position] = BigInt(index);
          });
        }
        Object.assign(scored, {
          top: { k: topK, scores: topScores, indices: topIndices },
          scores: trial % 4 === 1 ? undefined : scores,
        });
      }
      const excluded = new Set(
        Array.from({ length: random.nextInt(items / 2) }, () => random.nextInt(items)),
      );
      const isExcluded = (row: number): boolean => excluded.has(row);
      const strengths = new Map<number, number>();
      for (let i = random.nextInt(40); i > 0; i--) {
        // Some rows outside the table too: they must be ignored.
        strengths.set(random.nextInt(items + 5) - 2, random.nextInt(5) / 4);
      }
      const blend = {
        strengthByRow: strengths,
        weight: random.nextInt(8) / 2,
        modelCandidates: 1 + random.nextInt(60),
      };
      const k = 1 + random.nextInt(30);
      const b = random.nextInt(batchSize);
      expect(blendForRow(scored, b, k, items, isExcluded, blend)).toEqual(
        referenceBlend(scored, b, k, items, isExcluded, blend),
      );
    }
  });
});

/** The blend written the obvious way (a Map of candidates, objects sorted): the oracle. */
function referenceBlend(
  scored: ScoredBatch,
  b: number,
  k: number,
  itemCount: number,
  isExcluded: (row: number) => boolean,
  blend: TransitionBlend,
): BlendedAnswer {
  const modelPool = selectForRow(
    scored,
    b,
    Math.max(k, blend.modelCandidates),
    itemCount,
    isExcluded,
  );
  if (blend.strengthByRow.size === 0) return { picked: modelPool.slice(0, k) };
  const modelScore = new Map<number, number>();
  for (const { index, score } of modelPool) modelScore.set(index, score);
  const poolScores = modelPool.map((item) => item.score);
  const count = Math.max(1, poolScores.length);
  const mean = poolScores.reduce((sum, score) => sum + score, 0) / count;
  const variance = poolScores.reduce((sum, score) => sum + score * score, 0) / count - mean * mean;
  const std = Math.sqrt(Math.max(0, variance)) || 1;
  const floor = modelPool[modelPool.length - 1]?.score ?? mean;
  const transitionRanked: { index: number; score: number }[] = [];
  blend.strengthByRow.forEach((strength, row) => {
    if (row < 0 || row >= itemCount || isExcluded(row)) return;
    transitionRanked.push({ index: row, score: strength });
    if (!modelScore.has(row)) modelScore.set(row, scored.scores?.[b * itemCount + row] ?? floor);
  });
  const blended = [...modelScore].map(([index, score]) => ({
    index,
    score: (score - mean) / std + blend.weight * (blend.strengthByRow.get(index) ?? 0),
  }));
  const byScore = (
    x: { index: number; score: number },
    y: { index: number; score: number },
  ): number => y.score - x.score || x.index - y.index;
  blended.sort(byScore);
  transitionRanked.sort(byScore);
  const topRows = (ranked: { index: number }[]): number[] =>
    ranked.slice(0, k).map((item) => item.index);
  return {
    picked: blended.slice(0, k),
    tops: {
      blendedTop: topRows(blended),
      modelTop: topRows(modelPool),
      transitionTop: topRows(transitionRanked),
    },
  };
}
