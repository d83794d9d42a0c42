import { type ModelRef } from '@kairos/model';

/** Items kept per precomputed list: the API's largest k, so any request can be answered from it. */
export const PRECOMPUTED_ITEMS = 100;

export interface ScoredItem {
  readonly itemId: string;
  readonly score: number;
}

/** A user's precomputed list, as cached and stored in `recommendations`. */
export interface RecommendationList {
  readonly userId: string;
  readonly items: readonly ScoredItem[];
  readonly model: ModelRef;
  /** The last event the list reflects, and its event time. */
  readonly asOfEventId: string | null;
  readonly asOfEventTime: number | null;
  /**
   * Events the feature service had applied for the user when it wrote the snapshot (its
   * profile's totalEvents): grows with every event, so a list computed from an older snapshot
   * (a replica resuming after a pause, a redelivery) is recognised and never replaces a newer one.
   * Null for lists stored before it was recorded.
   */
  readonly asOfVersion: number | null;
  readonly computedAt: number;
}

export type RecommendationSource = 'precomputed' | 'realtime' | 'fallback';
