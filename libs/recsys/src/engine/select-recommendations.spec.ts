import type { ScoredBatch } from '@kairos/model';
import { selectForRow } from './select-recommendations';

/** A model answer with only top-k outputs: two batch rows of four candidates each. */
function topOnly(indices: bigint[], scores: number[]): ScoredBatch {
  return {
    batchSize: 2,
    top: { k: 4, scores: Float32Array.from(scores), indices: BigInt64Array.from(indices) },
  };
}

describe('selectForRow', () => {
  it("keeps the model's top-k order for the asked batch row", () => {
    const scored = topOnly([3n, 1n, 0n, 2n, 5n, 4n, 6n, 7n], [9, 8, 7, 6, 5, 4, 3, 2]);
    expect(selectForRow(scored, 1, 3, 10, () => false)).toEqual([
      { index: 5, score: 5 },
      { index: 4, score: 4 },
      { index: 6, score: 3 },
    ]);
  });

  it('drops indices that are negative, beyond the table or beyond 32 bits, repeated, or excluded', () => {
    const scored = topOnly(
      [-1n, 2n ** 32n + 1n, 10n, 1n, 1n, 2n, 3n, 4n],
      [9, 8, 7, 6, 5, 4, 3, 2],
    );
    // Row 0: only index 1 survives (2^32 + 1 must not wrap around to row 1).
    expect(selectForRow(scored, 0, 4, 10, () => false)).toEqual([{ index: 1, score: 6 }]);
    // Row 1: 1 is repeated (kept once), 3 excluded.
    expect(selectForRow(scored, 1, 4, 10, (row) => row === 3)).toEqual([
      { index: 1, score: 5 },
      { index: 2, score: 4 },
      { index: 4, score: 2 },
    ]);
  });

  it('ranks over the full scores when the top-k leaves fewer than k', () => {
    const scored: ScoredBatch = {
      batchSize: 1,
      scores: Float32Array.from([1, 5, 3, 4]),
      top: { k: 2, scores: Float32Array.from([5, 4]), indices: BigInt64Array.from([1n, 3n]) },
    };
    expect(selectForRow(scored, 0, 3, 4, (row) => row === 1).map((item) => item.index)).toEqual([
      3, 2, 0,
    ]);
  });
});
