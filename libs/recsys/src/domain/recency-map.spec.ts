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

  it('hands every value the bound drops to onEvict, and not a value replaced under its key', () => {
    const map = new Map<string, number>();
    const evicted: number[] = [];
    const onEvict = (value: number): void => void evicted.push(value);
    setMostRecent(map, 'a', 1, 2, onEvict);
    setMostRecent(map, 'b', 2, 2, onEvict);
    setMostRecent(map, 'b', 3, 2, onEvict);
    setMostRecent(map, 'c', 4, 2, onEvict);
    setMostRecent(map, 'd', 5, 2, onEvict);

    expect(evicted).toEqual([1, 3]);
  });
});
