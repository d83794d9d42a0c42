import { type RecommendationList } from './recommendation';

/**
 * Port: the durable copy of each user's precomputed list (one per user, replaced on update).
 * Adapters: MongoDB `recommendations` and memory; RecommendationStore caches in front of it.
 */
export abstract class RecommendationRepository {
  abstract findOne(userId: string): Promise<RecommendationList | null>;
  /**
   * Replaces each user's list unless the stored one is newer (a higher `asOfVersion`): a replica
   * that resumes after its partitions moved on, or a redelivered batch, cannot roll a user's
   * list back. Lists stored without a version are always replaced. Resolves with the users whose
   * list was refused for that reason.
   */
  abstract saveMany(lists: readonly RecommendationList[]): Promise<ReadonlySet<string>>;
}
