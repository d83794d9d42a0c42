import { type EventType } from '../events/event-type';

export interface FeatureWindowEvent {
  readonly itemId: string;
  readonly type: EventType;
  readonly value?: number;
  readonly timestamp: number;
}

export interface ScoredKey {
  readonly key: string;
  /** Decayed to `eventTime` of the message. */
  readonly score: number;
}

/**
 * The value of a record on `session-features`, keyed by userId: what the recommender needs to
 * score this user now. Published after every state change (and again on redelivery, so a crash
 * between the MongoDB write and the publish cannot lose an update; consumers keep the newest by
 * `eventTime`/`lastEventId`).
 */
export interface SessionFeaturesMessage {
  readonly userId: string;
  readonly window: {
    readonly sessionId: string;
    readonly startedAt: number;
    readonly lastEventAt: number;
    /** Last N events of the current session, oldest first. */
    readonly events: readonly FeatureWindowEvent[];
    readonly countsByType: Partial<Record<EventType, number>>;
    readonly eventCount: number;
    readonly distinctItems: number;
  } | null;
  readonly profile: {
    readonly totalsByType: Partial<Record<EventType, number>>;
    readonly totalEvents: number;
    readonly sessionCount: number;
    readonly topItems: readonly ScoredKey[];
    readonly topCategories: readonly ScoredKey[];
  };
  readonly lastEventId: string | null;
  /** Event time of the last incorporated event, epoch ms. */
  readonly eventTime: number | null;
  /** When the feature service produced this snapshot, epoch ms. */
  readonly processedAt: number;
}
