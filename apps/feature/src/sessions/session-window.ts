import { type UserEventMessage } from '@kairos/contracts';
import {
  archiveSession,
  emptyProfile,
  type ProfileDraft,
  profileDraftOf,
  profileOf,
  recordInProfile,
} from './affinity';
import {
  type CountsByType,
  type SessionRules,
  type SessionSummary,
  type SessionWindow,
  type UserState,
  type WindowEvent,
} from './user-state';

export { decayedScore, EVENT_WEIGHTS } from './affinity';

export interface IncomingEvent {
  readonly message: UserEventMessage;
  readonly partition: number;
  /** Kafka offset as a decimal string (compare with BigInt). */
  readonly offset: string;
}

export interface ApplyResult {
  readonly state: UserState;
  /** Events incorporated (into window and/or profile). */
  readonly applied: number;
  /** Skipped as already applied (offset at/below the applied watermark on the same partition, or eventId in recentEventIds). */
  readonly duplicates: number;
  /** Events older than watermark - allowedLateness: counted in the profile only, not placed in the window. */
  readonly late: number;
  /** Sessions closed while applying (to archive), oldest first. */
  readonly closedSessions: readonly SessionSummary[];
}

const MINUTE_MS = 60_000;

export const DEFAULT_SESSION_RULES: SessionRules = Object.freeze({
  inactivityGapMs: 30 * MINUTE_MS,
  maxDurationMs: 240 * MINUTE_MS,
  maxWindowEvents: 50,
  allowedLatenessMs: 10 * MINUTE_MS,
  recentSessions: 10,
  maxAffinities: 200,
  affinityHalfLifeMs: 7 * 24 * 60 * MINUTE_MS,
  recentEventIds: 200,
  maxDistinctItems: 1_000,
});

export function emptyUserState(userId: string): UserState {
  return {
    userId,
    session: null,
    profile: emptyProfile(),
    // Event times are validated as >= 0: 0 never makes an event late and, unlike -Infinity, is JSON.
    watermark: 0,
    lastEventId: null,
    lastEventTime: null,
    appliedPartition: null,
    appliedOffset: null,
    recentEventIds: [],
  };
}

export function summarize(window: SessionWindow): SessionSummary {
  return {
    sessionId: window.sessionId,
    startedAt: window.startedAt,
    endedAt: window.lastEventAt,
    eventCount: window.eventCount,
    countsByType: { ...window.countsByType },
    // Bounded by maxDistinctItems, so a lower bound for very long sessions.
    distinctItems: window.distinctItemIds.length,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Working copy of the open session; lives only inside one applyEvents call. */
interface SessionDraft extends Mutable<Omit<SessionWindow, 'events' | 'distinctItemIds'>> {
  readonly countsByType: Mutable<CountsByType>;
  readonly events: WindowEvent[];
  readonly distinctItemIds: string[];
}

/** Working copy of the whole state plus this call's counters. */
interface Draft extends Mutable<Omit<UserState, 'session' | 'profile' | 'recentEventIds'>> {
  readonly rules: SessionRules;
  session: SessionDraft | null;
  readonly recentEventIds: string[];
  readonly profile: ProfileDraft;
  readonly counts: { applied: number; duplicates: number; late: number };
  readonly closedSessions: SessionSummary[];
}

/**
 * Folds one user's events (in offset order) into their state. Pure: `previous` is never mutated
 * (untouched immutable leaves are shared), and the same inputs always give the same output, so a
 * replay after a crash rewrites an identical document.
 */
export function applyEvents(
  previous: UserState | null,
  userId: string,
  events: readonly IncomingEvent[],
  rules: SessionRules,
): ApplyResult {
  const base = previous ?? emptyUserState(userId);
  if (base.userId !== userId) {
    throw new Error(`state of user ${base.userId} cannot take events of user ${userId}`);
  }
  const draft = draftOf(base, rules);
  for (const event of events) applyOne(draft, event);
  return { state: stateOf(draft), ...draft.counts, closedSessions: draft.closedSessions };
}

function applyOne(draft: Draft, { message, partition, offset }: IncomingEvent): void {
  if (message.userId !== draft.userId) {
    // Records are keyed by userId: a foreign event here is a routing bug, never silently dropped.
    throw new Error(`event ${message.eventId} of user ${message.userId} sent to ${draft.userId}`);
  }
  // Rule 1a: a user lives on one partition and Kafka redelivers from the last committed offset,
  // so a record at or below the applied offset there was already applied. BigInt, because
  // offsets may pass 2^53 and decimal strings do not compare as text ('10' < '9').
  if (
    draft.appliedPartition === partition &&
    draft.appliedOffset !== null &&
    BigInt(offset) <= BigInt(draft.appliedOffset)
  ) {
    draft.counts.duplicates += 1;
    return;
  }
  // The record counts as processed even if it is a client retry, so that its next redelivery
  // is caught by the offset check above.
  draft.appliedPartition = partition;
  draft.appliedOffset = offset;
  // Rule 1b: a client retry gets a new offset but keeps its eventId. The ring is bounded, so a
  // retry older than the last `recentEventIds` events is counted again.
  if (draft.recentEventIds.includes(message.eventId)) {
    draft.counts.duplicates += 1;
    return;
  }
  draft.recentEventIds.push(message.eventId);
  draft.recentEventIds.splice(0, draft.recentEventIds.length - draft.rules.recentEventIds);
  draft.lastEventId = message.eventId;
  draft.lastEventTime = message.timestamp;
  draft.counts.applied += 1;

  // Rule 2: judged against the watermark before this event raises it (an event that raises it
  // is never late, so the order of these two lines does not matter).
  const lateBeyondLateness = message.timestamp < draft.watermark - draft.rules.allowedLatenessMs;
  draft.watermark = Math.max(draft.watermark, message.timestamp);
  recordInProfile(draft.profile, message, draft.watermark, draft.rules);
  if (lateBeyondLateness || !placeInWindow(draft, message)) draft.counts.late += 1;
}

/** Rule 3. Returns false when the event belongs to no open session (profile only). */
function placeInWindow(draft: Draft, message: UserEventMessage): boolean {
  const { rules, session: current } = draft;
  const at = message.timestamp;
  if (current === null) {
    draft.session = openSession(draft, message, null);
    return true;
  }
  // The client knows when it started a new session (new tab, app restart), so a change of its
  // sessionId ends ours; an event or a window without one says nothing.
  const clientSessionChanged =
    message.sessionId !== undefined &&
    current.clientSessionId !== null &&
    message.sessionId !== current.clientSessionId;

  if (at >= current.lastEventAt) {
    // Strictly greater on both bounds: a gap of exactly inactivityGapMs stays in the session.
    const gapExceeded = at - current.lastEventAt > rules.inactivityGapMs;
    const durationExceeded = at - current.startedAt > rules.maxDurationMs;
    if (clientSessionChanged || gapExceeded || durationExceeded) {
      closeSession(draft, current);
      draft.session = openSession(draft, message, current.sessionId);
    } else {
      addToSession(current, message, rules);
    }
    return true;
  }

  // Out of order but within lateness. Interpretation: an older event of another client session
  // belongs to that (closed) session; opening a new one starting before the current one's end
  // would fragment the current session again on its next event.
  if (clientSessionChanged) return false;
  const startedAt = Math.min(current.startedAt, at);
  const belongsToCurrent =
    at >= current.startedAt - rules.inactivityGapMs &&
    current.lastEventAt - startedAt <= rules.maxDurationMs;
  if (!belongsToCurrent) return false;
  // sessionId keeps the first event's time although startedAt moves earlier: it is the archive
  // key, and a changed id would leave the session's old document orphaned next to a new one.
  current.startedAt = startedAt;
  addToSession(current, message, rules);
  return true;
}

function openSession(
  draft: Draft,
  message: UserEventMessage,
  closedSessionId: string | null,
): SessionDraft {
  const session: SessionDraft = {
    sessionId: newSessionId(draft.userId, message.timestamp, closedSessionId),
    clientSessionId: null,
    startedAt: message.timestamp,
    lastEventAt: message.timestamp,
    events: [],
    countsByType: {},
    eventCount: 0,
    distinctItemIds: [],
  };
  addToSession(session, message, draft.rules);
  return session;
}

/**
 * `${userId}:${startedAt}`, deterministic so replays produce the same id. A client-session change
 * within the same millisecond would reuse the closed session's id and overwrite its archive, so
 * that case gets a `:n` suffix. New sessions never start before the closed one's first event,
 * so only the session just closed can collide.
 */
function newSessionId(userId: string, startedAt: number, closedSessionId: string | null): string {
  const base = `${userId}:${startedAt}`;
  if (closedSessionId === null || !`${closedSessionId}:`.startsWith(`${base}:`)) return base;
  const sequence = closedSessionId === base ? 0 : Number(closedSessionId.slice(base.length + 1));
  return `${base}:${sequence + 1}`;
}

function addToSession(session: SessionDraft, message: UserEventMessage, rules: SessionRules): void {
  const { eventId, itemId, type, value, timestamp: at } = message;
  // Stable: after every event with the same or an earlier timestamp. No `value: undefined` key:
  // storage would drop it and the reloaded state would no longer deep-equal.
  const index = session.events.findLastIndex((event) => event.timestamp <= at) + 1;
  const event = { eventId, itemId, type, ...(value === undefined ? {} : { value }), timestamp: at };
  session.events.splice(index, 0, event);
  // The window keeps the latest N by event time; the counts below still cover every event.
  session.events.splice(0, session.events.length - rules.maxWindowEvents);
  session.lastEventAt = Math.max(session.lastEventAt, at);
  session.clientSessionId ??= message.sessionId ?? null;
  session.countsByType[type] = (session.countsByType[type] ?? 0) + 1;
  session.eventCount += 1;
  // Once full the list stops growing rather than rotating, so it stays a stable prefix.
  const items = session.distinctItemIds;
  if (items.length < rules.maxDistinctItems && !items.includes(itemId)) items.push(itemId);
}

function closeSession(draft: Draft, session: SessionDraft): void {
  const summary = summarize(session);
  archiveSession(draft.profile, summary, draft.rules.recentSessions);
  draft.closedSessions.push(summary);
}

function draftOf(state: UserState, rules: SessionRules): Draft {
  return {
    ...state,
    rules,
    session: state.session === null ? null : copyOf(state.session),
    profile: profileDraftOf(state.profile),
    recentEventIds: [...state.recentEventIds],
    counts: { applied: 0, duplicates: 0, late: 0 },
    closedSessions: [],
  };
}

/** A deep enough copy of a window: its own arrays and counts, shared immutable events. */
function copyOf(window: SessionWindow): SessionDraft {
  return {
    sessionId: window.sessionId,
    clientSessionId: window.clientSessionId,
    startedAt: window.startedAt,
    lastEventAt: window.lastEventAt,
    events: [...window.events],
    countsByType: { ...window.countsByType },
    eventCount: window.eventCount,
    distinctItemIds: [...window.distinctItemIds],
  };
}

function stateOf(draft: Draft): UserState {
  return {
    userId: draft.userId,
    session: draft.session === null ? null : copyOf(draft.session),
    profile: profileOf(draft.profile),
    watermark: draft.watermark,
    lastEventId: draft.lastEventId,
    lastEventTime: draft.lastEventTime,
    appliedPartition: draft.appliedPartition,
    appliedOffset: draft.appliedOffset,
    recentEventIds: [...draft.recentEventIds],
  };
}
