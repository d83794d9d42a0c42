import { TransitionModel } from './transition-model';

const hourMs = 3_600_000;
const options = { maxSuccessors: 3, halfLifeMs: hourMs, maxSources: 10, evidencePrior: 0 };

function successors(model: TransitionModel, from: string): Record<string, number> {
  const found: Record<string, number> = {};
  model.forEachSuccessor(from, (itemId, probability) => (found[itemId] = probability));
  return found;
}

describe('TransitionModel', () => {
  it('is directional: a → b says nothing about b → a', () => {
    const model = new TransitionModel(options);
    model.learn('a', 'b', 0);
    model.learn('a', 'b', 0);
    model.learn('a', 'c', 0);
    const fromA = successors(model, 'a');
    expect(fromA['b']).toBeCloseTo(2 / 3, 6);
    expect(fromA['c']).toBeCloseTo(1 / 3, 6);
    expect(successors(model, 'b')).toEqual({});
  });

  it('ignores staying on the same item', () => {
    const model = new TransitionModel(options);
    model.learn('a', 'a', 0);
    expect(model.sourceCount).toBe(0);
  });

  it('lets old transitions fade in event time', () => {
    const model = new TransitionModel(options);
    model.learn('a', 'b', 0);
    model.learn('a', 'b', 0);
    model.learn('a', 'c', 0);
    // Two half-lives later, one fresh a → c outweighs the two old a → b (2 / 4 = 0.5 < 1 + 1/4).
    model.learn('a', 'c', 2 * hourMs);
    const fromA = successors(model, 'a');
    expect(fromA['c']).toBeGreaterThan(fromA['b'] ?? 0);
    expect((fromA['b'] ?? 0) + (fromA['c'] ?? 0)).toBeCloseTo(1, 6);
  });

  it('keeps at most maxSuccessors per item, forgetting the weakest', () => {
    const model = new TransitionModel(options);
    for (const [to, times] of [
      ['b', 3],
      ['c', 2],
      ['d', 1],
    ] as const) {
      for (let i = 0; i < times; i++) model.learn('a', to, 0);
    }
    model.learn('a', 'e', 0);
    const fromA = successors(model, 'a');
    expect(Object.keys(fromA).sort()).toEqual(['b', 'c', 'e']);
    expect(fromA['b']).toBeCloseTo(3 / 6, 6);
  });

  it('forgets the least recently updated source beyond maxSources', () => {
    const model = new TransitionModel({ ...options, maxSources: 2 });
    model.learn('a', 'x', 0);
    model.learn('b', 'x', 1);
    model.learn('a', 'y', 2);
    model.learn('c', 'x', 3);
    expect(model.sourceCount).toBe(2);
    expect(successors(model, 'b')).toEqual({});
    expect(Object.keys(successors(model, 'a')).sort()).toEqual(['x', 'y']);
  });

  it('scores successors of recent items with recency-decayed votes', () => {
    const model = new TransitionModel(options);
    model.learn('latest', 'x', 0);
    model.learn('older', 'y', 0);
    model.learn('older', 'x', 0);
    const rowOf = (itemId: string): number | undefined => ({ x: 0, y: 1 })[itemId];
    const scores = model.scoreSuccessors(['latest', 'older'], 0.5, rowOf);
    expect(scores.get(0)).toBeCloseTo(1 + 0.5 * 0.5, 6);
    expect(scores.get(1)).toBeCloseTo(0.5 * 0.5, 6);
    model.learn('latest', 'unknown', 1);
    expect([...model.scoreSuccessors(['latest'], 0.5, rowOf).keys()]).toEqual([0]);
  });

  it('trusts a transition more the more often its source was seen leaving', () => {
    const model = new TransitionModel({ ...options, evidencePrior: 2 });
    model.learn('once', 'x', 0);
    for (let i = 0; i < 8; i++) model.learn('often', 'y', 0);
    expect(successors(model, 'once')['x']).toBeCloseTo(1 / 3, 6);
    expect(successors(model, 'often')['y']).toBeCloseTo(8 / 10, 6);
  });

  it('rejects bounds that cannot hold anything', () => {
    expect(() => new TransitionModel({ ...options, maxSuccessors: 0 })).toThrow(/maxSuccessors/);
    expect(() => new TransitionModel({ ...options, halfLifeMs: 0 })).toThrow(/halfLifeMs/);
  });
});
