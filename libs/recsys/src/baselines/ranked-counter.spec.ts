import { SeededRandom } from '../domain/seeded-random';
import { RankedCounter } from './ranked-counter';

describe('RankedCounter', () => {
  it('keeps keys in descending count order under random increments and decrements', () => {
    const counter = new RankedCounter();
    const reference = new Map<string, number>();
    const random = new SeededRandom(5);
    for (let step = 0; step < 5000; step++) {
      const key = `k${random.nextInt(40)}`;
      if (random.next() < 0.35) {
        counter.decrement(key);
        if ((reference.get(key) ?? 0) > 0) reference.set(key, (reference.get(key) ?? 0) - 1);
      } else {
        counter.increment(key);
        reference.set(key, (reference.get(key) ?? 0) + 1);
      }
    }
    const top = counter.top(100, () => true);
    const counts = top.map((entry) => entry.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const { key, count } of top) expect(count).toBe(reference.get(key));
    const positive = [...reference.values()].filter((count) => count > 0).length;
    expect(top).toHaveLength(positive);
  });

  it('skips keys the caller does not accept', () => {
    const counter = new RankedCounter();
    ['a', 'a', 'a', 'b', 'b', 'c'].forEach((key) => counter.increment(key));
    expect(counter.top(2, (key) => key !== 'a').map((entry) => entry.key)).toEqual(['b', 'c']);
  });
});
