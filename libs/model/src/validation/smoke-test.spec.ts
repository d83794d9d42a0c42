import { type FeatureBatch, type ModelRunner, type ScoredBatch } from '../contract/model-runner';
import { ModelRejection } from './rejection';
import { smokeBatch, smokeTest } from './smoke-test';
import { validManifest } from './test-manifest';

function runnerAnswering(answer: (batch: FeatureBatch) => Promise<ScoredBatch>): ModelRunner {
  return {
    manifest: validManifest(),
    vocabulary: [],
    baseEmbeddings: new Float32Array(10 * 4),
    run: answer,
  };
}

async function codeOf(runner: ModelRunner, timeoutMs = 1_000): Promise<string> {
  try {
    await smokeTest(runner, timeoutMs);
    return 'passed';
  } catch (error) {
    return error instanceof ModelRejection ? error.code : 'threw';
  }
}

describe('smokeTest', () => {
  const scores = (batch: FeatureBatch, value: number): ScoredBatch => ({
    batchSize: batch.batchSize,
    scores: new Float32Array(batch.batchSize * batch.itemCount).fill(value),
  });

  it('builds a batch over the model vocabulary with indices inside it', () => {
    const batch = smokeBatch(runnerAnswering(() => Promise.reject(new Error('unused'))));
    expect(batch.itemCount).toBe(10);
    expect(batch.history.every((index) => index >= 0n && index < 10n)).toBe(true);
    expect(batch.itemEmbeddings).toHaveLength(40);
  });

  it('passes finite scores and refuses NaN, infinity, a failing run and a run over budget', async () => {
    expect(await codeOf(runnerAnswering((batch) => Promise.resolve(scores(batch, 0.5))))).toBe(
      'passed',
    );
    expect(
      await codeOf(runnerAnswering((batch) => Promise.resolve(scores(batch, Number.NaN)))),
    ).toBe('SMOKE_FAILED');
    expect(await codeOf(runnerAnswering((batch) => Promise.resolve(scores(batch, Infinity))))).toBe(
      'SMOKE_FAILED',
    );
    expect(await codeOf(runnerAnswering(() => Promise.reject(new Error('shape'))))).toBe(
      'SMOKE_FAILED',
    );
    expect(
      await codeOf(
        runnerAnswering(() => new Promise<ScoredBatch>(() => undefined)),
        20,
      ),
    ).toBe('SMOKE_TIMEOUT');
  });

  it('refuses top indices outside the vocabulary', async () => {
    const top = (index: bigint) =>
      runnerAnswering((batch) =>
        Promise.resolve({
          batchSize: batch.batchSize,
          top: { k: 1, scores: new Float32Array([1, 1]), indices: new BigInt64Array([0n, index]) },
        }),
      );
    expect(await codeOf(top(9n))).toBe('passed');
    expect(await codeOf(top(10n))).toBe('SMOKE_FAILED');
  });
});
