import { type ModelRunner, type FeatureBatch, type ScoredBatch } from '../contract/model-runner';
import { ModelRejection } from './rejection';

const SMOKE_BATCH_SIZE = 2;
const SMOKE_HISTORY_LENGTH = 8;

/**
 * A small deterministic batch over the model's own vocabulary and base embeddings: real-looking
 * histories (the second row ends in padding), a prior and one excluded item per row.
 */
export function smokeBatch(runner: Pick<ModelRunner, 'manifest' | 'baseEmbeddings'>): FeatureBatch {
  const itemCount = runner.manifest.vocabulary.size;
  const dimension = runner.manifest.embeddingDimension;
  const history = new BigInt64Array(SMOKE_BATCH_SIZE * SMOKE_HISTORY_LENGTH);
  const historyWeights = new Float32Array(history.length);
  for (let row = 0; row < SMOKE_BATCH_SIZE; row++) {
    for (let position = 0; position < SMOKE_HISTORY_LENGTH; position++) {
      const index = row * SMOKE_HISTORY_LENGTH + position;
      const padding = row === 1 && position >= SMOKE_HISTORY_LENGTH / 2;
      history[index] = padding ? 0n : BigInt((row * 7 + position * 3) % itemCount);
      historyWeights[index] = padding ? 0 : (position + 1) / SMOKE_HISTORY_LENGTH;
    }
  }
  const itemPrior = new Float32Array(itemCount).map((_, item) => 1 / (item + 1));
  const excludeMask = new Float32Array(SMOKE_BATCH_SIZE * itemCount);
  for (let row = 0; row < SMOKE_BATCH_SIZE; row++)
    excludeMask[row * itemCount + (row % itemCount)] = 1;
  return {
    batchSize: SMOKE_BATCH_SIZE,
    historyLength: SMOKE_HISTORY_LENGTH,
    itemCount,
    embeddingDimension: dimension,
    history,
    historyWeights,
    itemEmbeddings: runner.baseEmbeddings,
    itemPrior,
    userEmbedding: new Float32Array(SMOKE_BATCH_SIZE * dimension).fill(0.01),
    excludeMask,
  };
}

/**
 * Runs the smoke batch within the time budget and checks the answer: right shapes (checked by
 * the runner), finite scores, indices inside the vocabulary. A run that times out cannot be
 * cancelled: the caller frees the session through LeasedRunner.retire, which waits for it.
 */
export async function smokeTest(runner: ModelRunner, timeoutMs: number): Promise<void> {
  const batch = smokeBatch(runner);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ModelRejection('SMOKE_TIMEOUT', `smoke inference took longer than ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
  });
  let scored: ScoredBatch;
  try {
    scored = await Promise.race([runner.run(batch), timeout]);
  } catch (error) {
    if (error instanceof ModelRejection) throw error;
    throw new ModelRejection('SMOKE_FAILED', `smoke inference failed: ${errorMessage(error)}`);
  } finally {
    clearTimeout(timer);
  }
  checkScored(scored, batch.itemCount);
}

function checkScored(scored: ScoredBatch, itemCount: number): void {
  if (scored.scores !== undefined) {
    const bad = scored.scores.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new ModelRejection(
        'SMOKE_FAILED',
        `scores hold a non-finite value (${scored.scores[bad]}) at row ${Math.floor(bad / itemCount)}, item ${bad % itemCount}`,
      );
    }
  }
  if (scored.top !== undefined) {
    const bad = scored.top.scores.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new ModelRejection(
        'SMOKE_FAILED',
        `top_scores hold a non-finite value (${scored.top.scores[bad]})`,
      );
    }
    const outside = scored.top.indices.find((index) => index < 0n || index >= BigInt(itemCount));
    if (outside !== undefined) {
      throw new ModelRejection(
        'SMOKE_FAILED',
        `top_indices holds ${outside}, outside the ${itemCount} items`,
      );
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
