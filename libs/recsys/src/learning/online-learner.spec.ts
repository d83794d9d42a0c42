import { ItemTable } from '../table/item-table';
import { identityScoring } from './linear-scoring';
import { OnlineLearner } from './online-learner';

const options = {
  learningRate: 0.5,
  negatives: 3,
  seed: 1,
  negativePoolSize: 100,
  uniformNegativeShare: 0.5,
  maxNormFactor: 0,
};

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
}

describe('OnlineLearner', () => {
  const base = Float32Array.from([1, 0, 0, 1, -1, 0, 0, -1]);

  it('raises the score of the observed next item for that history and reports changed rows', () => {
    const table = ItemTable.fromModel(['a', 'b', 'c', 'd'], base, 2);
    const learner = new OnlineLearner(options, identityScoring(2));
    const before = dot(table.row(0), table.row(1));
    const changed = learner.learnTransition(table, { rows: [0], weights: [1] }, 1);
    expect(dot(table.row(0), table.row(1))).toBeGreaterThan(before);
    expect(changed.has(0)).toBe(true);
    expect(changed.has(1)).toBe(true);
    expect(table.versionOf('b')).toBe(1);
  });

  it('changes nothing without a history or with a zero learning rate', () => {
    const table = ItemTable.fromModel(['a', 'b', 'c', 'd'], base, 2);
    expect(
      new OnlineLearner(options, identityScoring(2)).learnTransition(
        table,
        { rows: [], weights: [] },
        1,
      ).size,
    ).toBe(0);
    const frozen = new OnlineLearner({ ...options, learningRate: 0 }, identityScoring(2));
    expect(frozen.learnTransition(table, { rows: [0], weights: [1] }, 1).size).toBe(0);
    expect(Array.from(table.embeddings)).toEqual(Array.from(base));
  });

  it('keeps updated rows within the max norm', () => {
    const table = ItemTable.fromModel(['a', 'b', 'c', 'd'], base, 2);
    const learner = new OnlineLearner(
      { ...options, learningRate: 50, maxNormFactor: 1.5 },
      identityScoring(2),
    );
    for (let i = 0; i < 20; i++) learner.learnTransition(table, { rows: [0], weights: [1] }, 1);
    const norm = Math.hypot(...Array.from(table.row(1)));
    expect(norm).toBeLessThanOrEqual(1.5 + 1e-6);
  });

  it('is reproducible for a seed', () => {
    const run = (): number[] => {
      const table = ItemTable.fromModel(['a', 'b', 'c', 'd'], base, 2);
      const learner = new OnlineLearner(options, identityScoring(2));
      [2, 3, 2].forEach((row) => learner.recordTraffic(row));
      learner.learnTransition(table, { rows: [0], weights: [1] }, 1);
      return Array.from(table.embeddings);
    };
    expect(run()).toEqual(run());
  });
});
