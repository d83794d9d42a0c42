import { type ScoredKey, type SessionFeaturesMessage } from '@kairos/contracts';
import { decayedScore } from './session-window';
import { type Affinity, type SessionRules, type UserState } from './user-state';

/** Items/categories published per user; the recommender needs the strongest, not all. */
const TOP_AFFINITIES = 20;

/** The `session-features` snapshot of a user: window, profile summary, provenance. */
export function toSessionFeatures(
  state: UserState,
  rules: SessionRules,
  processedAt: number,
): SessionFeaturesMessage {
  const at = state.lastEventTime ?? state.watermark;
  const { session, profile } = state;
  return {
    userId: state.userId,
    window:
      session === null
        ? null
        : {
            sessionId: session.sessionId,
            startedAt: session.startedAt,
            lastEventAt: session.lastEventAt,
            events: session.events.map(({ itemId, type, value, timestamp }) => ({
              itemId,
              type,
              ...(value !== undefined ? { value } : {}),
              timestamp,
            })),
            countsByType: session.countsByType,
            eventCount: session.eventCount,
            distinctItems: session.distinctItemIds.length,
          },
    profile: {
      totalsByType: profile.totalsByType,
      totalEvents: profile.totalEvents,
      sessionCount: profile.recentSessions.length + (session === null ? 0 : 1),
      topItems: strongest(profile.itemAffinities, at, rules.affinityHalfLifeMs),
      topCategories: strongest(profile.categoryAffinities, at, rules.affinityHalfLifeMs),
    },
    lastEventId: state.lastEventId,
    eventTime: state.lastEventTime,
    processedAt,
  };
}

function strongest(
  affinities: Readonly<Record<string, Affinity>>,
  at: number,
  halfLifeMs: number,
): ScoredKey[] {
  return Object.entries(affinities)
    .map(([key, affinity]) => ({ key, score: decayedScore(affinity, at, halfLifeMs) }))
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))
    .slice(0, TOP_AFFINITIES);
}
