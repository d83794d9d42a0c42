import { SeededRandom, WeightedSampler } from './seeded-random';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const value of draw(3)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('refuses a non-integer seed', () => {
    expect(() => new SeededRandom(1.5)).toThrow(/integer/);
  });
});

describe('WeightedSampler', () => {
  it('draws indices in proportion to their weights and never a zero-weight index', () => {
    const sampler = new WeightedSampler([1, 0, 3]);
    const random = new SeededRandom(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[sampler.sample(random)]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
  });
});
