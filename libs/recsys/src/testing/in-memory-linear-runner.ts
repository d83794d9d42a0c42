import type { FeatureBatch, ModelManifest, ModelRunner, ScoredBatch } from '@kairos/model';

export interface InMemoryRunnerOptions {
  readonly vocabulary: readonly string[];
  /** [N, D] row-major. */
  readonly baseEmbeddings: Float32Array;
  readonly dimension: number;
  /** [D, D] row-major; identity when omitted. */
  readonly projection?: Float32Array;
  readonly priorWeight?: number;
  /** 'scores' (default), 'top' (top_* only) or 'both'. */
  readonly outputs?: 'scores' | 'top' | 'both';
  readonly topK?: number;
  /** Simulate a model that ignores exclude_mask (the engine must still filter). */
  readonly ignoreMask?: boolean;
}

/**
 * A test-only ModelRunner computing the contract's formula in plain loops, so engine specs can
 * check batching, masking and online learning without an ONNX file:
 * scores = (Σ w·E[h] / (Σ w + 1e-6)) · P · Eᵀ + priorWeight · prior − 1e9 · mask.
 */
export class InMemoryLinearRunner implements ModelRunner {
  readonly manifest: ModelManifest;
  readonly vocabulary: readonly string[];
  readonly baseEmbeddings: Float32Array;
  readonly batches: FeatureBatch[] = [];
  private readonly projection: Float32Array;

  constructor(private readonly options: InMemoryRunnerOptions) {
    const D = options.dimension;
    this.vocabulary = options.vocabulary;
    this.baseEmbeddings = options.baseEmbeddings;
    this.projection =
      options.projection ??
      Float32Array.from({ length: D * D }, (_, i) => (i % (D + 1) === 0 ? 1 : 0));
    this.manifest = {
      schemaVersion: 1,
      name: 'in-memory',
      version: '1',
      created: '2026-01-01T00:00:00Z',
      embeddingDimension: D,
      files: {},
      vocabulary: { file: 'items.txt', size: options.vocabulary.length },
      baseEmbeddings: { file: 'item_embeddings.f32' },
      inputs: {},
      outputs: {},
      ...(options.topK ? { topK: options.topK } : {}),
    };
  }

  run(batch: FeatureBatch): Promise<ScoredBatch> {
    this.batches.push(batch);
    const { batchSize: B, historyLength: L, itemCount: N, embeddingDimension: D } = batch;
    const scores = new Float32Array(B * N);
    for (let b = 0; b < B; b++) {
      const pooled = new Float64Array(D);
      let weightSum = 0;
      for (let l = 0; l < L; l++) {
        const weight = batch.historyWeights[b * L + l] ?? 0;
        const row = Number(batch.history[b * L + l] ?? 0n);
        weightSum += weight;
        for (let d = 0; d < D; d++) pooled[d]! += weight * (batch.itemEmbeddings[row * D + d] ?? 0);
      }
      const query = new Float64Array(D);
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          query[j]! += ((pooled[i] ?? 0) / (weightSum + 1e-6)) * (this.projection[i * D + j] ?? 0);
        }
      }
      for (let n = 0; n < N; n++) {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += (query[d] ?? 0) * (batch.itemEmbeddings[n * D + d] ?? 0);
        const mask = this.options.ignoreMask ? 0 : (batch.excludeMask[b * N + n] ?? 0);
        scores[b * N + n] =
          dot + (this.options.priorWeight ?? 0) * (batch.itemPrior[n] ?? 0) - 1e9 * mask;
      }
    }
    const outputs = this.options.outputs ?? 'scores';
    const result: ScoredBatch = { batchSize: B };
    if (outputs !== 'top') result.scores = scores;
    if (outputs !== 'scores') result.top = this.top(scores, B, N);
    return Promise.resolve(result);
  }

  private top(scores: Float32Array, B: number, N: number): NonNullable<ScoredBatch['top']> {
    const k = Math.min(this.options.topK ?? 10, N);
    const topScores = new Float32Array(B * k);
    const indices = new BigInt64Array(B * k);
    for (let b = 0; b < B; b++) {
      const order = Array.from({ length: N }, (_, n) => n).sort(
        (x, y) => (scores[b * N + y] ?? 0) - (scores[b * N + x] ?? 0) || x - y,
      );
      for (let position = 0; position < k; position++) {
        const n = order[position] ?? 0;
        topScores[b * k + position] = scores[b * N + n] ?? 0;
        indices[b * k + position] = BigInt(n);
      }
    }
    return { k, scores: topScores, indices };
  }
}
