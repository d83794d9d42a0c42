import { type ModelRef } from '@kairos/model';

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
  readonly computedAt: number;
}

export type RecommendationSource = 'precomputed' | 'realtime' | 'fallback';
