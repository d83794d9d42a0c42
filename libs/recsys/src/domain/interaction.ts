import type { EventType } from '@kairos/contracts';

/** One user-item interaction in event time: what the engine and the baselines learn from. */
export interface Interaction {
  readonly userId: string;
  readonly itemId: string;
  /** Event time in epoch milliseconds (never wall time: replay must be reproducible). */
  readonly timestamp: number;
  readonly type: EventType;
  /** Optional catalog category, used to place a brand-new item near its category's centroid. */
  readonly category?: string;
}

/** How strongly each event type says "the user wants this": purchase > add_to_cart > click > view. */
export type EventTypeWeights = Readonly<Record<EventType, number>>;

export const DEFAULT_EVENT_TYPE_WEIGHTS: EventTypeWeights = {
  view: 1,
  click: 1.5,
  like: 2,
  add_to_cart: 3,
  purchase: 4,
  rating: 1.5,
  // A dislike is not a positive signal: it still marks the item as seen, but never pulls the
  // user's history or the item table towards it.
  dislike: 0,
};

/** An item the recommender returns, with the score it was ranked by. */
export interface RecommendedItem {
  readonly itemId: string;
  readonly score: number;
}

/** Who to recommend for. The engine holds each user's state; the request only names the user. */
export interface RecommendationRequest {
  readonly userId: string;
}

export interface RecommendationOptions {
  readonly k: number;
  /** Leave out items the user has already interacted with (the live recommender does). */
  readonly excludeSeen: boolean;
  /** Only recommend items of this catalog category. */
  readonly category?: string;
  /** Items the catalog marks unavailable (out of stock, withdrawn). */
  readonly unavailable?: ReadonlySet<string>;
}

/**
 * What the prequential evaluator drives: the engine and every baseline. `recommend` answers a
 * whole batch at once (the engine runs one model call per batch); `observe` learns from events in
 * the order given.
 */
export interface Recommender {
  readonly name: string;
  recommend(
    requests: readonly RecommendationRequest[],
    options: RecommendationOptions,
  ): Promise<RecommendedItem[][]>;
  observe(events: readonly Interaction[]): void;
}
