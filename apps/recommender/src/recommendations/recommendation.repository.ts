import { type RecommendationList } from './recommendation';

/**
 * Port: the durable copy of each user's precomputed list (one per user, replaced on update).
 * Adapters: MongoDB `recommendations` and memory; RecommendationStore caches in front of it.
 */
export abstract class RecommendationRepository {
  abstract findOne(userId: string): Promise<RecommendationList | null>;
  abstract saveMany(lists: readonly RecommendationList[]): Promise<void>;
}
