import { DEFAULT_EVENT_TYPE_WEIGHTS, type EventTypeWeights } from '../domain/interaction';
import type { OnlineLearnerOptions } from '../learning/online-learner';

export interface RecommendationEngineOptions {
  /** L: recent events fed to the model per user. */
  readonly historyLength: number;
  /** Pooling weight of the newest item is 1, the previous `recencyDecay`, ... */
  readonly recencyDecay: number;
  readonly eventTypeWeights: EventTypeWeights;
  /** Users per inference call; larger requests are split into several calls. */
  readonly maxBatchSize: number;
  readonly maxSeenItemsPerUser: number;
  /** Least recently active users are forgotten beyond this many. */
  readonly maxUsers: number;
  /** EMA rate of the long-term user embedding per event. */
  readonly longTermRate: number;
  /** Event-time half-life of the popularity prior. */
  readonly popularityHalfLifeMs: number;
  readonly learner: OnlineLearnerOptions;
  /** Seeds new-item initialisation (negative sampling has its own seed in `learner`). */
  readonly seed: number;
}

export const DEFAULT_ENGINE_OPTIONS: RecommendationEngineOptions = {
  historyLength: 5,
  recencyDecay: 0.7,
  eventTypeWeights: DEFAULT_EVENT_TYPE_WEIGHTS,
  maxBatchSize: 256,
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
  seed: 11,
};

/** Defaults overridden by `overrides`, with `learner` merged field by field. */
export function resolveEngineOptions(
  overrides: Partial<Omit<RecommendationEngineOptions, 'learner'>> & {
    learner?: Partial<OnlineLearnerOptions>;
  } = {},
): RecommendationEngineOptions {
  const { learner, ...rest } = overrides;
  const options = {
    ...DEFAULT_ENGINE_OPTIONS,
    ...rest,
    learner: { ...DEFAULT_ENGINE_OPTIONS.learner, ...learner },
  };
  const positive: [string, number][] = [
    ['historyLength', options.historyLength],
    ['maxBatchSize', options.maxBatchSize],
    ['maxSeenItemsPerUser', options.maxSeenItemsPerUser],
    ['maxUsers', options.maxUsers],
    ['popularityHalfLifeMs', options.popularityHalfLifeMs],
  ];
  for (const [name, value] of positive) {
    if (!(value > 0)) throw new Error(`engine option ${name} must be > 0, got ${value}`);
  }
  if (!(options.recencyDecay > 0 && options.recencyDecay <= 1)) {
    throw new Error(`engine option recencyDecay must be in (0, 1], got ${options.recencyDecay}`);
  }
  if (!(options.longTermRate >= 0 && options.longTermRate <= 1)) {
    throw new Error(`engine option longTermRate must be in [0, 1], got ${options.longTermRate}`);
  }
  return options;
}
