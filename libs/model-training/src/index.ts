// Offline side of the model lifecycle: read interaction logs, train, write a model version,
// and generate synthetic data. The online side (loading, serving) lives in @kairos/model.
export {
  INTERACTION_FORMATS,
  InteractionParseError,
  isInteractionFormat,
  type Interaction,
  type InteractionFormat,
} from './readers/interaction';
export { readInteractions, streamInteractions } from './readers/read-interactions';
export { SeededRandom, WeightedSampler } from './random/seeded-random';
export { buildItemSequences, computeItemPrior, type ItemSequences } from './training/sequences';
export {
  splitLastTransitions,
  type HeldOutTransition,
  type HoldoutSplit,
} from './training/holdout';
export {
  EXCLUDED_PENALTY,
  POOLING_EPSILON,
  recencyWeights,
  scoreHistory,
  type ScoringParameters,
} from './training/pooled-scoring';
export { modelHitRates, popularityHitRate } from './training/hit-rate';
export {
  DEFAULT_HYPER_PARAMETERS,
  trainModel,
  type TrainModelOptions,
  type TrainedModel,
  type TrainingHyperParameters,
} from './training/train-model';
export {
  GRAPH_INPUTS,
  GRAPH_OUTPUTS,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  buildRecommenderGraph,
  encodeRecommenderGraph,
  type RecommenderGraphOptions,
} from './onnx/recommender-graph';
export {
  BASE_EMBEDDINGS_FILE,
  DEFAULT_TOP_K,
  ITEM_PRIOR_FILE,
  ModelVersionExistsError,
  VOCABULARY_FILE,
  writeModelVersion,
  type WriteModelVersionOptions,
} from './model-version/write-model-version';
export { float32LittleEndian, readFloat32LittleEndian } from './model-version/float32-file';
export {
  generateSyntheticData,
  type SyntheticData,
  type SyntheticDataOptions,
  type SyntheticEvent,
} from './synthetic/synthetic-events';
export { type SyntheticCatalog, type SyntheticCatalogItem } from './synthetic/synthetic-catalog';
export { ProgressBar, type ProgressStream } from './cli/progress-bar';
