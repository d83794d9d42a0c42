import type {
  Interaction,
  RecommendationOptions,
  RecommendationRequest,
  RecommendedItem,
  Recommender,
} from '../domain/interaction';

const MAX_SEEN_ITEMS_PER_USER = 500;

/**
 * What every baseline shares with the engine so comparisons are fair: the same per-user seen
 * set (same bound), the same unavailable and category exclusions, the same batch interface.
 */
export abstract class BaselineRecommender implements Recommender {
  abstract readonly name: string;
  private readonly seenByUser = new Map<string, Set<string>>();
  private readonly lastItemByUser = new Map<string, string>();
  private readonly categoryOf = new Map<string, string>();

  recommend(
    requests: readonly RecommendationRequest[],
    options: RecommendationOptions,
  ): Promise<RecommendedItem[][]> {
    return Promise.resolve(
      requests.map((request) => {
        const seen = options.excludeSeen ? this.seenByUser.get(request.userId) : undefined;
        const accept = (itemId: string): boolean =>
          !(seen?.has(itemId) ?? false) &&
          !(options.unavailable?.has(itemId) ?? false) &&
          (options.category === undefined || this.categoryOf.get(itemId) === options.category);
        return this.rank(
          request.userId,
          this.lastItemByUser.get(request.userId),
          options.k,
          accept,
        );
      }),
    );
  }

  observe(events: readonly Interaction[]): void {
    for (const event of events) {
      const previousItemId = this.lastItemByUser.get(event.userId);
      this.learn(event, previousItemId);
      this.lastItemByUser.set(event.userId, event.itemId);
      if (event.category !== undefined) this.categoryOf.set(event.itemId, event.category);
      let seen = this.seenByUser.get(event.userId);
      if (!seen) this.seenByUser.set(event.userId, (seen = new Set()));
      seen.delete(event.itemId);
      seen.add(event.itemId);
      if (seen.size > MAX_SEEN_ITEMS_PER_USER) {
        const oldest = seen.values().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
    }
  }

  /** The k best accepted items for a user whose latest item is `lastItemId`. */
  protected abstract rank(
    userId: string,
    lastItemId: string | undefined,
    k: number,
    accept: (itemId: string) => boolean,
  ): RecommendedItem[];

  /** Updates the baseline's statistics with one event (before it becomes the user's last item). */
  protected abstract learn(event: Interaction, previousItemId: string | undefined): void;
}
