import { type BindableFeature, type ModelManifest } from '../contract/model-contract';
import { type FeatureBatch, type ScoredBatch } from '../contract/model-runner';

/** A tensor as onnxruntime takes and returns it; kept structural so this file stays pure. */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

export interface FeedTensor {
  readonly type: 'int64' | 'float32';
  readonly data: BigInt64Array | Float32Array;
  readonly dims: number[];
}

/**
 * The batch's features for the inputs the manifest binds (and only those), keyed by graph input
 * name, after checking that every array has the length its shape implies: a wrong-sized array
 * would otherwise surface as an opaque native error.
 */
export function featureFeeds(
  batch: FeatureBatch,
  manifest: ModelManifest,
): Record<string, FeedTensor> {
  if (batch.embeddingDimension !== manifest.embeddingDimension) {
    throw new Error(
      `batch has embedding dimension ${batch.embeddingDimension}, model ${manifest.name}/${manifest.version} expects ${manifest.embeddingDimension}`,
    );
  }
  const feeds: Record<string, FeedTensor> = {};
  for (const [graphName, feature] of Object.entries(manifest.inputs)) {
    const feed = featureTensor(batch, feature);
    const expected = feed.dims.reduce((product, size) => product * size, 1);
    if (feed.data.length !== expected) {
      throw new Error(
        `feature ${feature} has ${feed.data.length} values, its shape [${feed.dims.join(', ')}] needs ${expected}`,
      );
    }
    feeds[graphName] = feed;
  }
  return feeds;
}

function featureTensor(batch: FeatureBatch, feature: BindableFeature): FeedTensor {
  const { batchSize: b, historyLength: l, itemCount: n, embeddingDimension: d } = batch;
  switch (feature) {
    case 'history':
      return { type: 'int64', data: batch.history, dims: [b, l] };
    case 'history_weights':
      return { type: 'float32', data: batch.historyWeights, dims: [b, l] };
    case 'item_embeddings':
      return { type: 'float32', data: batch.itemEmbeddings, dims: [n, d] };
    case 'item_prior':
      return { type: 'float32', data: batch.itemPrior, dims: [n] };
    case 'user_embedding':
      return { type: 'float32', data: batch.userEmbedding, dims: [b, d] };
    case 'exclude_mask':
      return { type: 'float32', data: batch.excludeMask, dims: [b, n] };
  }
}

/** Maps graph outputs to the contract's meanings, checking type and shape against the batch. */
export function scoredBatch(
  outputs: Readonly<Record<string, TensorLike | undefined>>,
  manifest: ModelManifest,
  batch: Pick<FeatureBatch, 'batchSize' | 'itemCount'>,
): ScoredBatch {
  const byMeaning = new Map(
    Object.entries(manifest.outputs).map(([graphName, meaning]) => [meaning, outputs[graphName]]),
  );
  const result: ScoredBatch = { batchSize: batch.batchSize };
  const scores = byMeaning.get('scores');
  if (scores !== undefined) {
    result.scores = expectTensor(scores, 'scores', Float32Array, [
      batch.batchSize,
      batch.itemCount,
    ]);
  }
  const topScores = byMeaning.get('top_scores');
  const topIndices = byMeaning.get('top_indices');
  if (topScores !== undefined && topIndices !== undefined) {
    const k = topScores.dims[1] ?? -1;
    if (manifest.topK !== undefined && k !== Math.min(manifest.topK, batch.itemCount)) {
      throw new Error(`top_scores has K=${k}, the manifest's topK is ${manifest.topK}`);
    }
    result.top = {
      k,
      scores: expectTensor(topScores, 'top_scores', Float32Array, [batch.batchSize, k]),
      indices: expectTensor(topIndices, 'top_indices', BigInt64Array, [batch.batchSize, k]),
    };
  }
  if (result.scores === undefined && result.top === undefined) {
    throw new Error('the model returned none of its bound outputs');
  }
  return result;
}

function expectTensor<T extends Float32Array | BigInt64Array>(
  tensor: TensorLike,
  meaning: string,
  arrayType: { new (length: number): T; readonly prototype: T },
  dims: readonly number[],
): T {
  // A tag check, not instanceof: onnxruntime's arrays may come from another realm (jest's sandbox).
  if (Object.prototype.toString.call(tensor.data) !== `[object ${arrayType.name}]`) {
    throw new Error(`${meaning} came back as ${tensor.type}, not ${arrayType.name}`);
  }
  if (tensor.dims.length !== dims.length || tensor.dims.some((size, axis) => size !== dims[axis])) {
    throw new Error(
      `${meaning} came back with shape [${tensor.dims.join(', ')}], expected [${dims.join(', ')}]`,
    );
  }
  return tensor.data as T;
}
