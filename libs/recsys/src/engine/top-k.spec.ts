import { SeededRandom } from '../domain/seeded-random';
import { selectTopK } from './top-k';

describe('selectTopK', () => {
  it('returns the k best entries, best first, skipping excluded ones and NaN', () => {
    const scores = [0.1, 0.9, Number.NaN, 0.5, 0.7, 0.3];
    const top = selectTopK(scores, 3, (index) => index === 4);
    expect(top).toEqual([
      { index: 1, score: 0.9 },
      { index: 3, score: 0.5 },
      { index: 5, score: 0.3 },
    ]);
  });

  it('reads one row of a row-major matrix and reports indices within that row', () => {
    const matrix = Float32Array.from([9, 9, 9, 1, 3, 2]);
    expect(selectTopK(matrix, 2, undefined, 3, 3).map((entry) => entry.index)).toEqual([1, 2]);
  });

  it('breaks ties by the lower index and agrees with a full sort on random data', () => {
    expect(selectTopK([1, 1, 1], 2).map((entry) => entry.index)).toEqual([0, 1]);
    const random = new SeededRandom(3);
    const scores = Array.from({ length: 500 }, () => Math.round(random.next() * 50));
    const expected = scores
      .map((score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 20);
    expect(selectTopK(scores, 20)).toEqual(expected);
  });

  it('returns every allowed entry when k exceeds them, and nothing for k <= 0', () => {
    const scores = Float32Array.from([0.2, Number.NaN, 0.4, 0.1]);
    expect(selectTopK(scores, 10, (index) => index === 3)).toEqual([
      { index: 2, score: expect.closeTo(0.4, 6) as number },
      { index: 0, score: expect.closeTo(0.2, 6) as number },
    ]);
    expect(selectTopK(scores, 0)).toEqual([]);
    expect(selectTopK(scores, -1)).toEqual([]);
  });

  it('asks about exclusion only for entries that would enter the list', () => {
    const asked: number[] = [];
    // Descending scores: once the list is full, no later entry beats its worst.
    const top = selectTopK([5, 4, 3, 2, 1], 2, (index) => {
      asked.push(index);
      return false;
    });
    expect(top.map((entry) => entry.index)).toEqual([0, 1]);
    expect(asked).toEqual([0, 1]);
  });
});
