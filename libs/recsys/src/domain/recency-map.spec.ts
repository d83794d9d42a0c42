import { setMostRecent } from './recency-map';

describe('setMostRecent', () => {
  it('moves a rewritten key to the most recent place and drops the oldest beyond capacity', () => {
    const map = new Map<string, number>();
    setMostRecent(map, 'a', 1, 2);
    setMostRecent(map, 'b', 2, 2);
    setMostRecent(map, 'a', 3, 2);
    setMostRecent(map, 'c', 4, 2);

    expect([...map]).toEqual([
      ['a', 3],
      ['c', 4],
    ]);
  });
});
