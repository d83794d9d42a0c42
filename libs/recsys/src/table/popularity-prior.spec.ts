import { PopularityPrior } from './popularity-prior';

const hour = 3_600_000;

describe('PopularityPrior', () => {
  it('halves a count after one half-life of event time', () => {
    const prior = new PopularityPrior({ halfLifeMs: hour });
    prior.add(0, 4, 0);
    prior.add(1, 1, hour);
    expect(prior.countOf(0)).toBeCloseTo(2, 6);
    expect(prior.countOf(1)).toBeCloseTo(1, 6);
  });

  it('stays exact over spans far longer than the half-life (rescaling)', () => {
    const prior = new PopularityPrior({ halfLifeMs: 1000 });
    prior.add(0, 1, 0);
    for (let t = 1; t <= 100; t++) prior.add(1, 1, t * 1000);
    expect(prior.countOf(0)).toBeLessThan(1e-25);
    expect(prior.countOf(1)).toBeCloseTo(2, 3);
  });

  it('builds a standardised log prior and ranks trending rows', () => {
    const prior = new PopularityPrior({ halfLifeMs: hour });
    [2, 2, 2, 0, 1, 1].forEach((row, i) => prior.add(row, 1, i));
    const vector = Array.from(prior.priorVector(4));
    const mean = vector.reduce((a, b) => a + b, 0) / 4;
    expect(mean).toBeCloseTo(0, 5);
    expect(vector[2]).toBeGreaterThan(vector[1] ?? 0);
    expect(vector[3]).toBeLessThan(vector[0] ?? 0);
    expect(prior.trending(3, 4)).toEqual([2, 1, 0]);
    expect(prior.trending(3, 4, (row) => row === 2)).toEqual([1, 0]);
  });
});
