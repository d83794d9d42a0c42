import { type FeatureBatch } from '../contract/model-runner';
import { validManifest } from '../validation/test-manifest';
import { featureFeeds, scoredBatch } from './feature-feeds';

function batch(overrides: Partial<FeatureBatch> = {}): FeatureBatch {
  const [b, l, n, d] = [2, 3, 10, 4];
  return {
    batchSize: b,
    historyLength: l,
    itemCount: n,
    embeddingDimension: d,
    history: new BigInt64Array(b * l),
    historyWeights: new Float32Array(b * l),
    itemEmbeddings: new Float32Array(n * d),
    itemPrior: new Float32Array(n),
    userEmbedding: new Float32Array(b * d),
    excludeMask: new Float32Array(b * n),
    ...overrides,
  };
}

describe('featureFeeds', () => {
  it('feeds exactly the bound features under their graph names, with their shapes', () => {
    const manifest = {
      ...validManifest(),
      inputs: { recent: 'history', table: 'item_embeddings' },
    } as const;
    const feeds = featureFeeds(batch(), manifest);
    expect(Object.keys(feeds)).toEqual(['recent', 'table']);
    expect(feeds.recent).toMatchObject({ type: 'int64', dims: [2, 3] });
    expect(feeds.table).toMatchObject({ type: 'float32', dims: [10, 4] });
  });

  it('refuses a batch whose arrays do not fit its shape, or whose D differs from the model', () => {
    expect(() =>
      featureFeeds(batch({ historyWeights: new Float32Array(5) }), validManifest()),
    ).toThrow(/history_weights has 5 values, its shape \[2, 3\] needs 6/);
    expect(() => featureFeeds(batch({ embeddingDimension: 8 }), validManifest())).toThrow(
      /expects 4/,
    );
  });
});

describe('scoredBatch', () => {
  it('maps outputs by meaning and checks their shape', () => {
    const scores = { type: 'float32', dims: [2, 10], data: new Float32Array(20) };
    expect(scoredBatch({ scores }, validManifest(), { batchSize: 2, itemCount: 10 }).scores).toBe(
      scores.data,
    );
    expect(() => scoredBatch({ scores }, validManifest(), { batchSize: 2, itemCount: 11 })).toThrow(
      /shape \[2, 10\], expected \[2, 11\]/,
    );
    expect(() =>
      scoredBatch({ scores: { ...scores, data: new Float64Array(20) } }, validManifest(), {
        batchSize: 2,
        itemCount: 10,
      }),
    ).toThrow(/not Float32Array/);
  });
});
