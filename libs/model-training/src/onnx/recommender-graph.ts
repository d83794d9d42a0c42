import { onnx } from 'onnx-proto';
import { EXCLUDED_PENALTY, POOLING_EPSILON } from '../training/pooled-scoring';
import { FLOAT, INT64, floatTensor, int64Tensor, node, tensorValueInfo } from './onnx-builders';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** Graph input names; each equals the bindable feature it receives. */
export const GRAPH_INPUTS = {
  history: 'history',
  history_weights: 'history_weights',
  item_embeddings: 'item_embeddings',
  item_prior: 'item_prior',
  exclude_mask: 'exclude_mask',
} as const;

/** Graph output names; each equals its output meaning. */
export const GRAPH_OUTPUTS = {
  scores: 'scores',
  top_scores: 'top_scores',
  top_indices: 'top_indices',
} as const;

export interface RecommenderGraphOptions {
  /** D, fixed in the graph; N, B and L stay symbolic. */
  dimension: number;
  /** [D, D] row-major learned projection of the pooled history. */
  projection: Float32Array;
  priorWeight: number;
  /** Upper bound of K; the graph returns min(topK, N) so a small catalog never fails TopK. */
  topK: number;
  producerVersion?: string;
}

/**
 * scores = (Σ w·E[history] / (Σ w + ε)) · P · Eᵀ + priorWeight · prior − 1e9 · exclude_mask,
 * plus TopK over it. Mirrors training/pooled-scoring.ts line by line.
 */
export function buildRecommenderGraph(options: RecommenderGraphOptions): onnx.ModelProto {
  const { dimension: D, topK } = options;
  if (options.projection.length !== D * D) {
    throw new Error(`projection must hold ${D * D} values (D×D), got ${options.projection.length}`);
  }
  if (!Number.isInteger(topK) || topK < 1)
    throw new Error(`topK must be a positive integer, got ${topK}`);
  const inputs = GRAPH_INPUTS;
  const nodes: onnx.INodeProto[] = [
    // Pool the history: [B,L,D] rows weighted by [B,L,1], summed over L, over the weight sum.
    node('Gather', [inputs.item_embeddings, inputs.history], ['history_embeddings'], { axis: 0 }),
    node('Unsqueeze', [inputs.history_weights, 'axis_2'], ['weights_3d']),
    node('Mul', ['history_embeddings', 'weights_3d'], ['weighted_embeddings']),
    node('ReduceSum', ['weighted_embeddings', 'axis_1'], ['weighted_sum'], { keepdims: 0 }),
    node('ReduceSum', [inputs.history_weights, 'axis_1'], ['weight_sum'], { keepdims: 1 }),
    node('Add', ['weight_sum', 'pooling_epsilon'], ['weight_denominator']),
    node('Div', ['weighted_sum', 'weight_denominator'], ['pooled_history']),
    node('MatMul', ['pooled_history', 'history_projection'], ['user_query']),
    // Score every item: [B,D] × [D,N], then the popularity prior and the exclusion penalty.
    node('Transpose', [inputs.item_embeddings], ['item_embeddings_t'], { perm: [1, 0] }),
    node('MatMul', ['user_query', 'item_embeddings_t'], ['embedding_scores']),
    node('Mul', [inputs.item_prior, 'prior_weight'], ['weighted_prior']),
    node('Add', ['embedding_scores', 'weighted_prior'], ['prior_scores']),
    node('Mul', [inputs.exclude_mask, 'excluded_penalty'], ['exclusion_penalty']),
    node('Sub', ['prior_scores', 'exclusion_penalty'], [GRAPH_OUTPUTS.scores]),
    // K = min(topK, N): N read from the prior's shape, so TopK never asks for more than exists.
    node('Shape', [inputs.item_prior], ['item_count']),
    node('Min', ['item_count', 'top_k_limit'], ['top_k']),
    node(
      'TopK',
      [GRAPH_OUTPUTS.scores, 'top_k'],
      [GRAPH_OUTPUTS.top_scores, GRAPH_OUTPUTS.top_indices],
      {
        axis: -1,
        largest: 1,
        sorted: 1,
      },
    ),
  ];
  const graph: onnx.IGraphProto = {
    name: 'kairos_pooled_history_recommender',
    node: nodes,
    initializer: [
      int64Tensor('axis_1', [1], [1]),
      int64Tensor('axis_2', [1], [2]),
      floatTensor('pooling_epsilon', [], [POOLING_EPSILON]),
      floatTensor('history_projection', [D, D], options.projection),
      floatTensor('prior_weight', [], [options.priorWeight]),
      floatTensor('excluded_penalty', [], [EXCLUDED_PENALTY]),
      int64Tensor('top_k_limit', [1], [topK]),
    ],
    input: [
      tensorValueInfo(inputs.history, INT64, ['B', 'L']),
      tensorValueInfo(inputs.history_weights, FLOAT, ['B', 'L']),
      tensorValueInfo(inputs.item_embeddings, FLOAT, ['N', D]),
      tensorValueInfo(inputs.item_prior, FLOAT, ['N']),
      tensorValueInfo(inputs.exclude_mask, FLOAT, ['B', 'N']),
    ],
    output: [
      tensorValueInfo(GRAPH_OUTPUTS.scores, FLOAT, ['B', 'N']),
      tensorValueInfo(GRAPH_OUTPUTS.top_scores, FLOAT, ['B', 'K']),
      tensorValueInfo(GRAPH_OUTPUTS.top_indices, INT64, ['B', 'K']),
    ],
  };
  return onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'kairos-model-training',
    producerVersion: options.producerVersion ?? '1',
    graph,
  });
}

/** The serialized model.onnx bytes (protobuf encoding is deterministic for the same input). */
export function encodeRecommenderGraph(options: RecommenderGraphOptions): Uint8Array {
  return onnx.ModelProto.encode(buildRecommenderGraph(options)).finish();
}
