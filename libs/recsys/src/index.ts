export * from './domain/interaction';
export { setMostRecent } from './domain/recency-map';
export { ChunkedColumn, SlotAllocator } from './domain/chunked-slots';
export { SeededRandom } from './domain/seeded-random';
export { ItemTable, type ItemRowUpdate, type NewItemHints } from './table/item-table';
export { PopularityPrior, type PopularityPriorOptions } from './table/popularity-prior';
export {
  UserState,
  UserStateStore,
  type RecentHistory,
  type UserStateLimits,
} from './users/user-state';
export { identityScoring, probeLinearScoring, type LinearScoring } from './learning/linear-scoring';
export { OnlineLearner, type OnlineLearnerOptions } from './learning/online-learner';
export { TransitionModel, type TransitionModelOptions } from './learning/transition-model';
export {
  AdaptiveBlendWeight,
  type AdaptiveBlendWeightOptions,
  type ComponentTops,
} from './engine/adaptive-blend-weight';
export {
  DEFAULT_ENGINE_OPTIONS,
  resolveEngineOptions,
  type RecommendationEngineOptions,
  type TransitionBlendOptions,
} from './engine/engine-options';
export { RecommendationEngine, type ObserveResult } from './engine/recommendation-engine';
export { selectTopK, type ScoredIndex } from './engine/top-k';
export { MostPopularRecommender, RecentPopularRecommender } from './baselines/popularity.baselines';
export { ItemKnnRecommender } from './baselines/item-knn.baseline';
export {
  runPrequential,
  type PrequentialOptions,
  type PrequentialReport,
  type RecommenderResult,
} from './eval/prequential-evaluator';
export { formatReportTable, liftOverBestBaseline } from './eval/report-table';
export { renderHtmlReport } from './eval/report-html';
