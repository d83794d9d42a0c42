import { SeededRandom } from '../random/seeded-random';
import { scoreHistory, type ScoringParameters } from '../training/pooled-scoring';
import { encodeRecommenderGraph } from './recommender-graph';

// Loaded in beforeAll, after the realm fix (test/support/node-realm-typed-arrays.ts), so its type checks
// see the same typed arrays as the native outputs.
let ort: typeof import('onnxruntime-node');
beforeAll(async () => {
  ort = await import('onnxruntime-node');
});

interface Batch {
  history: number[];
  weights: Float32Array;
  prior: Float32Array;
  mask: Float32Array;
}

function randomBatch(random: SeededRandom, B: number, L: number, N: number): Batch {
  return {
    history: Array.from({ length: B * L }, () => random.nextInt(N)),
    // Some zero weights: padding must not contribute to the pooled history.
    weights: Float32Array.from({ length: B * L }, () => (random.next() < 0.2 ? 0 : random.next())),
    prior: Float32Array.from({ length: N }, () => random.next() * 2 - 1),
    mask: Float32Array.from({ length: B * N }, () => (random.next() < 0.1 ? 1 : 0)),
  };
}

async function runGraph(
  params: ScoringParameters,
  topK: number,
  batch: Batch,
  B: number,
  L: number,
) {
  const session = await ort.InferenceSession.create(encodeRecommenderGraph({ ...params, topK }));
  const N = batch.prior.length;
  const outputs = await session.run({
    history: new ort.Tensor('int64', BigInt64Array.from(batch.history, BigInt), [B, L]),
    history_weights: new ort.Tensor('float32', batch.weights, [B, L]),
    item_embeddings: new ort.Tensor('float32', params.itemEmbeddings, [N, params.dimension]),
    item_prior: new ort.Tensor('float32', batch.prior, [N]),
    exclude_mask: new ort.Tensor('float32', batch.mask, [B, N]),
  });
  await session.release();
  return outputs;
}

function randomParameters(random: SeededRandom, N: number, D: number): ScoringParameters {
  return {
    dimension: D,
    itemEmbeddings: Float32Array.from({ length: N * D }, () => random.next() - 0.5),
    projection: Float32Array.from({ length: D * D }, () => random.next() - 0.5),
    priorWeight: 0.75,
  };
}

describe('recommender ONNX graph (onnxruntime-node)', () => {
  it('computes the same scores as the plain TypeScript formula and a consistent TopK', async () => {
    const random = new SeededRandom(11);
    const [B, L, N, D, topK] = [3, 6, 50, 8, 7];
    const params = randomParameters(random, N, D);
    const batch = randomBatch(random, B, L, N);
    const outputs = await runGraph(params, topK, batch, B, L);

    const scores = outputs.scores!.data as Float32Array;
    expect(outputs.scores!.dims).toEqual([B, N]);
    for (let b = 0; b < B; b++) {
      const expected = scoreHistory(
        params,
        batch.history.slice(b * L, (b + 1) * L),
        batch.weights.subarray(b * L, (b + 1) * L),
        batch.prior,
        batch.mask.subarray(b * N, (b + 1) * N),
      );
      for (let n = 0; n < N; n++) {
        const want = expected[n]!;
        // Masked scores sit near -1e9, where float32 spacing is 64: compare them relatively.
        const tolerance = Math.abs(want) > 1e6 ? Math.abs(want) * 1e-6 : 1e-4;
        expect(Math.abs(scores[b * N + n]! - want)).toBeLessThanOrEqual(tolerance);
      }
      const rowScores = Array.from(scores.subarray(b * N, (b + 1) * N));
      const bestFirst = [...rowScores].sort((x, y) => y - x).slice(0, topK);
      const topScores = Array.from(
        (outputs.top_scores!.data as Float32Array).subarray(b * topK, (b + 1) * topK),
      );
      const topIndices = Array.from(
        (outputs.top_indices!.data as BigInt64Array).subarray(b * topK, (b + 1) * topK),
      );
      expect(topScores).toEqual(bestFirst);
      topIndices.forEach((index, k) => expect(rowScores[Number(index)]).toBe(topScores[k]));
      // Excluded items never make the top list when enough others exist.
      topIndices.forEach((index) => expect(batch.mask[b * N + Number(index)]).toBe(0));
    }
  });

  it('returns all N items instead of failing when the catalog is smaller than topK', async () => {
    const random = new SeededRandom(12);
    const [B, L, N, D] = [2, 3, 4, 5];
    const params = randomParameters(random, N, D);
    const outputs = await runGraph(params, 100, randomBatch(random, B, L, N), B, L);
    expect(outputs.top_indices!.dims).toEqual([B, N]);
    expect(outputs.top_scores!.dims).toEqual([B, N]);
  });

  it('pools an all-padding history to zero, leaving the prior as the score', async () => {
    const random = new SeededRandom(13);
    const [B, L, N, D] = [1, 4, 6, 3];
    const params = randomParameters(random, N, D);
    const batch = { ...randomBatch(random, B, L, N), weights: new Float32Array(B * L) };
    batch.mask.fill(0);
    const outputs = await runGraph(params, 3, batch, B, L);
    const scores = Array.from(outputs.scores!.data as Float32Array);
    scores.forEach((score, n) => expect(score).toBeCloseTo(0.75 * batch.prior[n]!, 5));
  });
});
