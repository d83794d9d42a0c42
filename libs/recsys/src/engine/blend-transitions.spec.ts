import type { ScoredBatch } from '@kairos/model';
import { blendForRow } from './blend-transitions';

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
});
