import type { Interaction } from '../readers/interaction';
import { modelHitRates, popularityHitRate } from './hit-rate';
import { splitLastTransitions } from './holdout';
import { buildItemSequences, computeItemPrior } from './sequences';
import { trainSkipGram, type SkipGramOptions } from './skip-gram.trainer';

export type TrainingHyperParameters = SkipGramOptions;

export const DEFAULT_HYPER_PARAMETERS: TrainingHyperParameters = {
  dimension: 64,
  contextLength: 5,
  epochs: 5,
  learningRate: 0.05,
  negatives: 5,
  recencyDecay: 0.7,
  seed: 42,
};

/** Prior weights tried on the validation transitions; the best one is baked into the graph. */
export const PRIOR_WEIGHT_CANDIDATES = [0, 0.1, 0.25, 0.5, 1, 2, 4] as const;
const METRIC_K = 10;

export interface TrainModelOptions extends Partial<TrainingHyperParameters> {
  interactions: readonly Interaction[];
  onProgress?: (done: number, total: number) => void;
}

export interface TrainedModel {
  vocabulary: string[];
  dimension: number;
  /** [N, D]: the table the graph scores against, saved as the version's base embeddings. */
  itemEmbeddings: Float32Array;
  /** [D, D]: baked into the graph as an initializer. */
  projection: Float32Array;
  /** [N]: standardised log popularity, what `item_prior` held at training time. */
  itemPrior: Float32Array;
  /** Chosen on validation transitions, baked into the graph. */
  priorWeight: number;
  hyperParameters: TrainingHyperParameters;
  eventCount: number;
  lastTimestamp: number;
  metrics: Record<string, number>;
}

/**
 * Trains on everything except each sequence's last transition, picks the prior weight on half of
 * those held-out transitions and reports HR@10 (model vs. popularity) on the other half.
 */
export function trainModel(options: TrainModelOptions): TrainedModel {
  const { interactions, onProgress, ...overrides } = options;
  const hyperParameters: TrainingHyperParameters = { ...DEFAULT_HYPER_PARAMETERS, ...overrides };
  if (interactions.length === 0) throw new Error('trainModel: no interactions to train on');
  const data = buildItemSequences(interactions);
  const split = splitLastTransitions(
    data.sequences,
    hyperParameters.contextLength,
    hyperParameters.seed,
  );
  const trainingCounts = countItems(split.trainingSequences, data.vocabulary.length);
  const { itemEmbeddings, projection } = trainSkipGram(
    split.trainingSequences,
    trainingCounts,
    hyperParameters,
    onProgress,
  );
  const itemPrior = computeItemPrior(trainingCounts);
  const params = { dimension: hyperParameters.dimension, itemEmbeddings, projection };
  const evaluate = (transitions: typeof split.test, weights: readonly number[]) =>
    modelHitRates(params, itemPrior, transitions, METRIC_K, hyperParameters.recencyDecay, weights);

  const validationRates = evaluate(split.validation, PRIOR_WEIGHT_CANDIDATES);
  const bestIndex = validationRates.indexOf(Math.max(...validationRates));
  const priorWeight = PRIOR_WEIGHT_CANDIDATES[bestIndex] ?? 0;
  const [testHitRate = 0] = evaluate(split.test, [priorWeight]);
  return {
    vocabulary: data.vocabulary,
    dimension: hyperParameters.dimension,
    itemEmbeddings,
    projection,
    // Served with the full-data prior: the held-out events are real popularity signal too.
    itemPrior: computeItemPrior(data.itemCounts),
    priorWeight,
    hyperParameters,
    eventCount: data.eventCount,
    lastTimestamp: data.lastTimestamp,
    metrics: {
      [`hitRate@${METRIC_K}`]: testHitRate,
      [`popularityHitRate@${METRIC_K}`]: popularityHitRate(trainingCounts, split.test, METRIC_K),
      [`validationHitRate@${METRIC_K}`]: validationRates[bestIndex] ?? 0,
      heldOutTransitions: split.test.length,
      trainingTransitions: split.trainingSequences.reduce(
        (sum, sequence) => sum + Math.max(0, sequence.length - 1),
        0,
      ),
    },
  };
}

/** Interactions per row as the trainer sees them (held-out targets excluded). */
function countItems(sequences: readonly Int32Array[], itemCount: number): Float64Array {
  const counts = new Float64Array(itemCount);
  for (const sequence of sequences) for (const row of sequence) counts[row]! += 1;
  // Items only seen as held-out targets still need a tiny weight to be drawable as negatives.
  for (let row = 0; row < itemCount; row++) if (counts[row] === 0) counts[row] = 1e-3;
  return counts;
}
