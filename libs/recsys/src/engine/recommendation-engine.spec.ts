import type { Interaction } from '../domain/interaction';
import { InMemoryLinearRunner } from '../testing/in-memory-linear-runner';
import { RecommendationEngine } from './recommendation-engine';

// Four items on two axes of a 2-D space: a1/a2 point along x, b1/b2 along y. A user who just
// viewed an "a" item should be offered the other "a" item first.
const vocabulary = ['a1', 'a2', 'b1', 'b2'];
const baseEmbeddings = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]);
const t0 = Date.parse('2026-01-01T00:00:00Z');

function view(userId: string, itemId: string, offsetMs: number, category?: string): Interaction {
  return {
    userId,
    itemId,
    type: 'view',
    timestamp: t0 + offsetMs,
    ...(category ? { category } : {}),
  };
}

function runner(overrides: Partial<ConstructorParameters<typeof InMemoryLinearRunner>[0]> = {}) {
  return new InMemoryLinearRunner({ vocabulary, baseEmbeddings, dimension: 2, ...overrides });
}

const frozen = { learner: { learningRate: 0 } };

describe('RecommendationEngine', () => {
  it('recovers the projection and prior weight of the model it serves', async () => {
    const model = runner({ projection: Float32Array.from([0, 2, 3, 0]), priorWeight: 0.5 });
    const engine = await RecommendationEngine.create(model, frozen);
    expect(engine.scoring.probed).toBe(true);
    expect(Array.from(engine.scoring.projection)).toEqual([
      expect.closeTo(0, 5),
      expect.closeTo(2, 5),
      expect.closeTo(3, 5),
      expect.closeTo(0, 5),
    ]);
    expect(engine.scoring.priorWeight).toBeCloseTo(0.5, 5);
  });

  it('ranks by the model and leaves out seen items', async () => {
    const engine = await RecommendationEngine.create(runner(), frozen);
    engine.observe([view('u1', 'a1', 0)]);
    const [answer] = await engine.recommend([{ userId: 'u1' }], { k: 2, excludeSeen: true });
    expect(answer?.map((item) => item.itemId)).toEqual(['a2', 'b2']);
    const [withSeen] = await engine.recommend([{ userId: 'u1' }], { k: 1, excludeSeen: false });
    expect(withSeen?.[0]?.itemId).toBe('a1');
  });

  it('runs one inference call per batch, split at maxBatchSize', async () => {
    const model = runner();
    const engine = await RecommendationEngine.create(model, { ...frozen, maxBatchSize: 2 });
    const probeCalls = model.batches.length;
    engine.observe(['u1', 'u2', 'u3'].map((userId, i) => view(userId, 'a1', i)));
    const answers = await engine.recommend([{ userId: 'u1' }, { userId: 'u2' }, { userId: 'u3' }], {
      k: 1,
      excludeSeen: true,
    });
    expect(answers.map((answer) => answer[0]?.itemId)).toEqual(['a2', 'a2', 'a2']);
    expect(model.batches.slice(probeCalls).map((batch) => batch.batchSize)).toEqual([2, 1]);
  });

  it('keeps at most maxConcurrentBatches inference calls in flight', async () => {
    const model = runner();
    let inFlight = 0;
    let peak = 0;
    const run = model.run.bind(model);
    model.run = async (batch) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      // Stay in flight across a macrotask, so the other callers get their chance to start.
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return run(batch);
    };
    const engine = await RecommendationEngine.create(model, { ...frozen, maxConcurrentBatches: 2 });
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    engine.observe(users.map((userId, i) => view(userId, 'a1', i)));
    const answers = await Promise.all(
      users.map((userId) => engine.recommend([{ userId }], { k: 1, excludeSeen: true })),
    );
    expect(answers.map(([answer]) => answer?.[0]?.itemId)).toEqual(users.map(() => 'a2'));
    expect(peak).toBe(2);
  });

  it('keeps the exclusions of concurrent batches apart', async () => {
    const model = runner({ ignoreMask: true });
    const run = model.run.bind(model);
    model.run = async (batch) => {
      // Both batches are built before either is scored.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return run(batch);
    };
    const engine = await RecommendationEngine.create(model, { ...frozen, maxConcurrentBatches: 2 });
    engine.observe([view('u1', 'a1', 0), view('u2', 'b1', 1)]);
    const [[first], [second]] = await Promise.all([
      engine.recommend([{ userId: 'u1' }], { k: 3, excludeSeen: true }),
      engine.recommend([{ userId: 'u2' }], { k: 3, excludeSeen: true }),
    ]);
    expect(first?.map((item) => item.itemId).sort()).toEqual(['a2', 'b1', 'b2']);
    expect(second?.map((item) => item.itemId).sort()).toEqual(['a1', 'a2', 'b2']);
  });

  it('applies unavailable items and category filters, even when the model ignores the mask', async () => {
    const engine = await RecommendationEngine.create(runner({ ignoreMask: true }), frozen);
    engine.observe([view('u1', 'a1', 0, 'x'), view('u2', 'b1', 1, 'y'), view('u2', 'b2', 2, 'y')]);
    const [unavailable] = await engine.recommend([{ userId: 'u1' }], {
      k: 1,
      excludeSeen: true,
      unavailable: new Set(['a2']),
    });
    expect(unavailable?.[0]?.itemId).toBe('b2');
    const [inCategory] = await engine.recommend([{ userId: 'u1' }], {
      k: 3,
      excludeSeen: false,
      category: 'y',
    });
    expect(inCategory?.map((item) => item.itemId).sort()).toEqual(['b1', 'b2']);
  });

  it('falls back to full scores when the model top-k is mostly excluded', async () => {
    const model = runner({ outputs: 'both', topK: 2, ignoreMask: true });
    const engine = await RecommendationEngine.create(model, frozen);
    engine.observe([view('u1', 'a1', 0), view('u1', 'a2', 1)]);
    const [answer] = await engine.recommend([{ userId: 'u1' }], { k: 2, excludeSeen: true });
    expect(answer?.map((item) => item.itemId)).toEqual(['b2', 'b1']);
  });

  it('answers users without history from the decayed popularity prior', async () => {
    const engine = await RecommendationEngine.create(runner(), frozen);
    engine.observe([view('u1', 'b2', 0), view('u2', 'b2', 1), view('u3', 'a1', 2)]);
    const [answer] = await engine.recommend([{ userId: 'new-user' }], { k: 2, excludeSeen: true });
    expect(answer?.map((item) => item.itemId)).toEqual(['b2', 'a1']);
  });

  it('places a new item near what it was seen with, so it can be recommended at once', async () => {
    const engine = await RecommendationEngine.create(runner(), frozen);
    const result = engine.observe([view('u1', 'b1', 0), view('u1', 'b-new', 1)]);
    expect(result.changedItemIds).toContain('b-new');
    engine.observe([view('u2', 'b2', 2)]);
    const [answer] = await engine.recommend([{ userId: 'u2' }], { k: 2, excludeSeen: true });
    // b-new starts at b1's row (its only co-occurring item), so both outrank the "a" items.
    expect(answer?.map((item) => item.itemId).sort()).toEqual(['b-new', 'b1']);
    expect(engine.exportRows(['b-new'])[0]?.vector).toEqual(engine.exportRows(['b1'])[0]?.vector);
  });

  it('learns transitions online: a repeated a1 -> b1 pattern makes b1 the next pick after a1', async () => {
    const engine = await RecommendationEngine.create(runner(), {
      learner: { learningRate: 0.5, negatives: 1 },
      // The embedding update alone must do it here; the transition term has its own test.
      transitions: { weight: 0 },
    });
    const [before] = await recommendAfterA1(engine, 'probe-before');
    expect(before).toBe('a2');
    const training: Interaction[] = [];
    for (let i = 0; i < 30; i++)
      training.push(view(`t${i}`, 'a1', i * 10), view(`t${i}`, 'b1', i * 10 + 1));
    const { changedItemIds } = engine.observe(training);
    expect(changedItemIds).toEqual(expect.arrayContaining(['a1', 'b1']));
    const [after] = await recommendAfterA1(engine, 'probe-after');
    expect(after).toBe('b1');
  });

  it('blends in directional transitions seen online, even with a frozen model', async () => {
    const chain: Interaction[] = [];
    for (let i = 0; i < 5; i++)
      chain.push(view(`t${i}`, 'a1', i * 10), view(`t${i}`, 'b1', i * 10 + 1));
    const modelOnly = await RecommendationEngine.create(runner(), {
      ...frozen,
      transitions: { weight: 0 },
    });
    modelOnly.observe(chain);
    expect(await recommendAfterA1(modelOnly, 'probe')).toEqual(['a2']);

    const blended = await RecommendationEngine.create(runner(), frozen);
    blended.observe(chain);
    expect(await recommendAfterA1(blended, 'probe')).toEqual(['b1']);
    // Directional: having seen a1 -> b1 says nothing about what follows b1.
    blended.observe([view('other', 'b1', 200_000)]);
    const [afterB1] = await blended.recommend([{ userId: 'other' }], { k: 1, excludeSeen: true });
    expect(afterB1?.[0]?.itemId).toBe('b2');
  });

  it('exports changed rows and applies newer rows from another replica only', async () => {
    const engine = await RecommendationEngine.create(runner(), { learner: { learningRate: 0.5 } });
    const { changedItemIds } = engine.observe([view('u1', 'a1', 0), view('u1', 'b1', 1)]);
    const [exported] = engine.exportRows(changedItemIds.filter((id) => id === 'b1'));
    expect(exported?.version).toBeGreaterThan(0);
    const replica = await RecommendationEngine.create(runner(), frozen);
    expect(replica.applyRow(exported!)).toBe(true);
    expect(replica.exportRows(['b1'])[0]?.vector).toEqual(exported?.vector);
    const stale = { itemId: 'b1', vector: Float32Array.from([9, 9]), version: 0 };
    expect(replica.applyRow(stale)).toBe(false);
  });

  it('re-seeds the table from a newly activated model, keeping user histories', async () => {
    const engine = await RecommendationEngine.create(runner(), frozen);
    engine.observe([view('u1', 'a1', 0)]);
    // The new model swaps the axes: after a1 now comes b2 first.
    const swapped = Float32Array.from([1, 0, 0, 1, 0.1, 0.9, 0.9, 0.1]);
    await engine.activateModel(runner({ baseEmbeddings: swapped }));
    const [answer] = await engine.recommend([{ userId: 'u1' }], { k: 1, excludeSeen: true });
    expect(answer?.[0]?.itemId).toBe('b2');
  });
});

async function recommendAfterA1(engine: RecommendationEngine, userId: string): Promise<string[]> {
  engine.observe([view(userId, 'a1', 100_000)]);
  const [answer] = await engine.recommend([{ userId }], { k: 1, excludeSeen: true });
  return (answer ?? []).map((item) => item.itemId);
}
