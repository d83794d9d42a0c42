import { DEFAULT_EVENT_TYPE_WEIGHTS, type EventTypeWeights } from '../domain/interaction';
import type { OnlineLearnerOptions } from '../learning/online-learner';
import type { TransitionModelOptions } from '../learning/transition-model';

/** The directional next-item term blended into the model's ranking (see TransitionModel). */
export interface TransitionBlendOptions extends TransitionModelOptions {
  /**
   * Model standard deviations a transition probability of 1 adds at start; 0 turns the blend
   * off. It then adapts online within [weightMin, weightMax] by `weightStep` per telling answer.
   */
  readonly weight: number;
  readonly weightMin: number;
  readonly weightMax: number;
  readonly weightStep: number;
  /** Users whose latest answer is kept to learn the weight from their next event. */
  readonly maxPendingUsers: number;
  /** How many of the user's latest items vote for successors. */
  readonly contextLength: number;
  /** Vote weight factor per step back (newest item 1, the one before this, ...). */
  readonly contextDecay: number;
  /** The model's best rows re-ranked together with the transition candidates. */
  readonly modelCandidates: number;
}

export interface RecommendationEngineOptions {
  /** L: recent events fed to the model per user. */
  readonly historyLength: number;
  /** Pooling weight of the newest item is 1, the previous `recencyDecay`, ... */
  readonly recencyDecay: number;
  readonly eventTypeWeights: EventTypeWeights;
  /** Users per inference call; larger requests are split into several calls. */
  readonly maxBatchSize: number;
  /**
   * Inference calls in flight at once; more wait. Each holds its [B, N] mask and scores (about
   * 5 MB at B = 64 and N = 10,000) in JavaScript and in onnxruntime, which keeps the peak.
   */
  readonly maxConcurrentBatches: number;
  readonly maxSeenItemsPerUser: number;
  /** Least recently active users are forgotten beyond this many. */
  readonly maxUsers: number;
  /** EMA rate of the long-term user embedding per event. */
  readonly longTermRate: number;
  /** Event-time half-life of the popularity prior. */
  readonly popularityHalfLifeMs: number;
  readonly learner: OnlineLearnerOptions;
  readonly transitions: TransitionBlendOptions;
  /** Seeds new-item initialisation (negative sampling has its own seed in `learner`). */
  readonly seed: number;
}

export const DEFAULT_ENGINE_OPTIONS: RecommendationEngineOptions = {
  historyLength: 5,
  recencyDecay: 0.7,
  eventTypeWeights: DEFAULT_EVENT_TYPE_WEIGHTS,
  // 64, not more: on the 2-core machines of bench/recommender, B = 256 scored fewer users per
  // second than B = 64 (10,244-10,596 against 11,423-15,225 users/s), blocked the event loop
  // four times as long per call, and made 10 MB buffers per call instead of 2.5 MB.
  maxBatchSize: 64,
  // The cores of the machines we run on. Twelve Kafka batches at once (one per partition)
  // scoring 256 users each took a recommender to 1 GiB RSS; with 2 at a time, 250 MiB (bench).
  maxConcurrentBatches: 2,
  maxSeenItemsPerUser: 500,
  maxUsers: 1_000_000,
  longTermRate: 0.1,
  popularityHalfLifeMs: 24 * 60 * 60 * 1000,
  learner: {
    // Tuned on the Diginetica replay (docs/evaluation.md): large enough for one observation to
    // matter, with max-norm clipping keeping frequently updated items from becoming hubs.
    learningRate: 0.05,
    negatives: 5,
    seed: 7,
    negativePoolSize: 10_000,
    uniformNegativeShare: 0.25,
    maxNormFactor: 2.5,
  },
  transitions: {
    weight: 4,
    weightMin: 0.5,
    weightMax: 1000,
    weightStep: 0.05,
    maxPendingUsers: 100_000,
    contextLength: 3,
    contextDecay: 0.3,
    modelCandidates: 100,
    maxSuccessors: 32,
    evidencePrior: 0,
    maxSources: 50_000,
    halfLifeMs: 7 * 24 * 60 * 60 * 1000,
  },
  seed: 11,
};

/** Defaults overridden by `overrides`, with `learner` merged field by field. */
export function resolveEngineOptions(
  overrides: Partial<Omit<RecommendationEngineOptions, 'learner' | 'transitions'>> & {
    learner?: Partial<OnlineLearnerOptions>;
    transitions?: Partial<TransitionBlendOptions>;
  } = {},
): RecommendationEngineOptions {
  const { learner, transitions, ...rest } = overrides;
  const options = {
    ...DEFAULT_ENGINE_OPTIONS,
    ...rest,
    learner: { ...DEFAULT_ENGINE_OPTIONS.learner, ...learner },
    transitions: { ...DEFAULT_ENGINE_OPTIONS.transitions, ...transitions },
  };
  const positive: [string, number][] = [
    ['historyLength', options.historyLength],
    ['maxBatchSize', options.maxBatchSize],
    ['maxSeenItemsPerUser', options.maxSeenItemsPerUser],
    ['maxUsers', options.maxUsers],
    ['popularityHalfLifeMs', options.popularityHalfLifeMs],
    ['transitions.contextLength', options.transitions.contextLength],
    ['transitions.modelCandidates', options.transitions.modelCandidates],
  ];
  for (const [name, value] of positive) {
    if (!(value > 0)) throw new Error(`engine option ${name} must be > 0, got ${value}`);
  }
  if (!(options.recencyDecay > 0 && options.recencyDecay <= 1)) {
    throw new Error(`engine option recencyDecay must be in (0, 1], got ${options.recencyDecay}`);
  }
  if (!(options.transitions.weight >= 0)) {
    throw new Error(
      `engine option transitions.weight must be >= 0, got ${options.transitions.weight}`,
    );
  }
  const { contextDecay } = options.transitions;
  if (!(contextDecay >= 0 && contextDecay <= 1)) {
    throw new Error(
      `engine option transitions.contextDecay must be in [0, 1], got ${contextDecay}`,
    );
  }
  if (!(options.longTermRate >= 0 && options.longTermRate <= 1)) {
    throw new Error(`engine option longTermRate must be in [0, 1], got ${options.longTermRate}`);
  }
  return options;
}
