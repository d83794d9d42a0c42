import {
  type Affinity,
  type SessionSummary,
  type SessionWindow,
  type UserState,
} from '../sessions/user-state';
import { type StoredAffinity, type StoredUserState } from './user-state.schema';

/** Domain ↔ document: id-keyed records become arrays (dots in ids are not valid field names). */
export function toStoredState(state: UserState): StoredUserState {
  return {
    session: state.session,
    profile: {
      totalsByType: { ...state.profile.totalsByType },
      totalEvents: state.profile.totalEvents,
      recentSessions: [...state.profile.recentSessions],
      itemAffinities: toArray(state.profile.itemAffinities),
      categoryAffinities: toArray(state.profile.categoryAffinities),
    },
    watermark: state.watermark,
    lastEventId: state.lastEventId,
    lastEventTime: state.lastEventTime,
    appliedPartition: state.appliedPartition,
    appliedOffset: state.appliedOffset,
    recentEventIds: [...state.recentEventIds],
  };
}

export function fromStoredState(userId: string, stored: StoredUserState): UserState {
  return {
    userId,
    session: stored.session as SessionWindow | null,
    profile: {
      totalsByType: stored.profile.totalsByType,
      totalEvents: stored.profile.totalEvents,
      recentSessions: stored.profile.recentSessions as SessionSummary[],
      itemAffinities: toRecord(stored.profile.itemAffinities),
      categoryAffinities: toRecord(stored.profile.categoryAffinities),
    },
    watermark: stored.watermark,
    lastEventId: stored.lastEventId,
    lastEventTime: stored.lastEventTime,
    appliedPartition: stored.appliedPartition,
    appliedOffset: stored.appliedOffset,
    recentEventIds: stored.recentEventIds,
  };
}

function toArray(record: Readonly<Record<string, Affinity>>): StoredAffinity[] {
  return Object.entries(record).map(([key, affinity]) => ({
    key,
    score: affinity.score,
    updatedAt: affinity.updatedAt,
  }));
}

function toRecord(entries: readonly StoredAffinity[]): Record<string, Affinity> {
  // A null-prototype object: keys come from user data and must never reach Object.prototype.
  const record = Object.create(null) as Record<string, Affinity>;
  for (const entry of entries)
    record[entry.key] = { score: entry.score, updatedAt: entry.updatedAt };
  return record;
}
