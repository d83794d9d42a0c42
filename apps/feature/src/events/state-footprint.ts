import { type UserState } from '../sessions/user-state';

/*
 * V8 heap sizes on 64-bit Node without pointer compression (Node's default build): a string is a
 * 16-byte header plus one byte per character (ids are ASCII), rounded up to 8; an element or
 * dictionary slot is 8 bytes per field; an epoch-ms number is a 16-byte HeapNumber. The
 * constants are checked against measured heap by bench/feature/written-states-memory.bench.ts.
 */
const SLOT = 8;
/** The state, session, profile and counts objects and their arrays' headers. */
const STATE_BASE = 1_500;
/** A window event object (five fields and a HeapNumber time); its eventId is shared with the ring. */
const WINDOW_EVENT = 88;
/** A dictionary entry (key, value, details) and its { score, updatedAt } object with two HeapNumbers. */
const AFFINITY_ENTRY = 3 * SLOT + 40 + 2 * 16;
/** A session summary object with its countsByType and three HeapNumbers. */
const SESSION_SUMMARY = 220;

function stringBytes(value: string): number {
  return Math.ceil((16 + value.length) / 8) * 8;
}

function keysBytes(record: Readonly<Record<string, unknown>>, entryBytes: number): number {
  let bytes = 0;
  for (const key in record) bytes += entryBytes + stringBytes(key);
  return bytes;
}

/**
 * About how many bytes of heap a user's state holds: what WrittenStates budgets by. Its size
 * ranges over an order of magnitude (a new user's few hundred bytes; a long session's 1,000
 * distinct items of 128-character ids are ~150 KB), so counting states alone does not bound memory.
 */
export function approximateHeapBytes(state: UserState): number {
  let bytes = STATE_BASE + stringBytes(state.userId);
  for (const eventId of state.recentEventIds) bytes += SLOT + stringBytes(eventId);
  const { session, profile } = state;
  if (session !== null) {
    bytes += stringBytes(session.sessionId);
    for (const event of session.events) bytes += SLOT + WINDOW_EVENT + stringBytes(event.itemId);
    for (const itemId of session.distinctItemIds) bytes += SLOT + stringBytes(itemId);
  }
  bytes += keysBytes(profile.itemAffinities, AFFINITY_ENTRY);
  bytes += keysBytes(profile.categoryAffinities, AFFINITY_ENTRY);
  for (const summary of profile.recentSessions)
    bytes += SLOT + SESSION_SUMMARY + stringBytes(summary.sessionId);
  return bytes;
}
