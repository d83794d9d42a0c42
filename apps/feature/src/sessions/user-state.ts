import { type EventType } from '@kairos/contracts';

/** One event as kept in a session window (the last N per session). */
export interface WindowEvent {
  readonly eventId: string;
  readonly itemId: string;
  readonly type: EventType;
  readonly value?: number;
  /** Event time, epoch ms. */
  readonly timestamp: number;
}

export type CountsByType = Partial<Record<EventType, number>>;

/** The user's current session, in event time. */
export interface SessionWindow {
  /** Deterministic: `${userId}:${startedAt}` of the first event, so replays produce the same id. */
  readonly sessionId: string;
  /** The client's sessionId of the events in this window, when it sent one. */
  readonly clientSessionId: string | null;
  readonly startedAt: number;
  readonly lastEventAt: number;
  /** Last N events, ordered by timestamp (ties keep arrival order). */
  readonly events: readonly WindowEvent[];
  /** Counts over every event of the session, not only the last N. */
  readonly countsByType: CountsByType;
  readonly eventCount: number;
  /** Distinct item ids of the session (capped, see SessionRules.maxDistinctItems). */
  readonly distinctItemIds: readonly string[];
}

export interface SessionSummary {
  readonly sessionId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly eventCount: number;
  readonly countsByType: CountsByType;
  readonly distinctItems: number;
}

/** A decayed affinity: `score` was exact at `updatedAt`; decay applies from there on. */
export interface Affinity {
  readonly score: number;
  readonly updatedAt: number;
}

export interface UserProfile {
  readonly totalsByType: CountsByType;
  readonly totalEvents: number;
  /** Summaries of the last K closed sessions, newest first. */
  readonly recentSessions: readonly SessionSummary[];
  /** Per-item affinity, at most SessionRules.maxAffinities entries (lowest decayed score evicted). */
  readonly itemAffinities: Readonly<Record<string, Affinity>>;
  /** Per-category affinity from the event's `context.category`, same bound. */
  readonly categoryAffinities: Readonly<Record<string, Affinity>>;
}

/** Everything the feature service keeps per user; one MongoDB document, written atomically. */
export interface UserState {
  readonly userId: string;
  readonly session: SessionWindow | null;
  readonly profile: UserProfile;
  /** Max event time seen (the user's watermark), epoch ms. */
  readonly watermark: number;
  /** Last incorporated event (highest offset), null before the first. */
  readonly lastEventId: string | null;
  readonly lastEventTime: number | null;
  /**
   * Exactly-once in effect. Kafka redelivers from the last committed offset, and a user always
   * lives on one partition, so any record at or below `appliedOffset` of `appliedPartition`
   * was already applied. Client retries of the same eventId land at new offsets; the bounded
   * ring `recentEventIds` catches those.
   */
  readonly appliedPartition: number | null;
  readonly appliedOffset: string | null;
  readonly recentEventIds: readonly string[];
}

export interface SessionRules {
  /** A gap strictly greater than this ends the session (equal stays in it). Default 30 min. */
  readonly inactivityGapMs: number;
  /** A session never spans more than this from its first event. Default 4 h. */
  readonly maxDurationMs: number;
  /** Events kept in the window. Default 50. */
  readonly maxWindowEvents: number;
  /** Out-of-order events no older than watermark - this go into the window. Default 10 min. */
  readonly allowedLatenessMs: number;
  /** Closed-session summaries kept in the profile. Default 10. */
  readonly recentSessions: number;
  /** Affinity entries kept per kind. Default 200. */
  readonly maxAffinities: number;
  /** Affinity half-life. Default 7 days. */
  readonly affinityHalfLifeMs: number;
  /** Event ids remembered per user for client-duplicate detection. Default 200. */
  readonly recentEventIds: number;
  /** Distinct item ids tracked per session. Default 1,000. */
  readonly maxDistinctItems: number;
}
