import { type UserEventMessage } from '@kairos/contracts';
import {
  applyEvents,
  decayedScore,
  DEFAULT_SESSION_RULES,
  emptyUserState,
  EVENT_WEIGHTS,
  type IncomingEvent,
  summarize,
} from './session-window';
import { type SessionRules, type UserState } from './user-state';

const BASE = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const USER = 'user-1';
const RULES = DEFAULT_SESSION_RULES;

type EventSpec = Partial<UserEventMessage> & { readonly at: number };

/** Consecutive offsets from `firstOffset`; eventIds derive from the offset unless given. */
function batch(specs: readonly EventSpec[], firstOffset = 0, partition = 0): IncomingEvent[] {
  return specs.map(({ at, ...overrides }, index) => ({
    partition,
    offset: String(firstOffset + index),
    message: {
      eventId: `evt-${partition}-${firstOffset + index}`,
      userId: USER,
      itemId: 'item-1',
      type: 'view',
      timestamp: at,
      receivedAt: at,
      ...overrides,
    },
  }));
}

function apply(
  events: readonly IncomingEvent[],
  previous: UserState | null = null,
  rules: SessionRules = RULES,
) {
  return applyEvents(previous, USER, events, rules);
}

function ids(state: UserState): string[] {
  return state.session?.events.map((event) => event.eventId) ?? [];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('emptyUserState / DEFAULT_SESSION_RULES', () => {
  it('starts with no session, no profile signal and no applied offset', () => {
    expect(emptyUserState(USER)).toEqual({
      userId: USER,
      session: null,
      profile: {
        totalsByType: {},
        totalEvents: 0,
        recentSessions: [],
        itemAffinities: {},
        categoryAffinities: {},
      },
      watermark: 0,
      lastEventId: null,
      lastEventTime: null,
      appliedPartition: null,
      appliedOffset: null,
      recentEventIds: [],
    });
  });

  it('has the product defaults', () => {
    expect(DEFAULT_SESSION_RULES).toEqual({
      inactivityGapMs: 30 * MINUTE,
      maxDurationMs: 4 * HOUR,
      maxWindowEvents: 50,
      allowedLatenessMs: 10 * MINUTE,
      recentSessions: 10,
      maxAffinities: 200,
      affinityHalfLifeMs: 7 * DAY,
      recentEventIds: 200,
      maxDistinctItems: 1000,
    });
  });
});

describe('session boundaries', () => {
  it('keeps a gap of exactly inactivityGapMs and splits at one millisecond more', () => {
    const first = apply(batch([{ at: BASE }, { at: BASE + 30 * MINUTE }]));
    expect(first.closedSessions).toEqual([]);
    expect(first.state.session).toMatchObject({
      sessionId: `${USER}:${BASE}`,
      startedAt: BASE,
      lastEventAt: BASE + 30 * MINUTE,
      eventCount: 2,
    });

    const second = apply(batch([{ at: BASE + 60 * MINUTE + 1 }], 2), first.state);
    expect(second.closedSessions).toEqual([
      {
        sessionId: `${USER}:${BASE}`,
        startedAt: BASE,
        endedAt: BASE + 30 * MINUTE,
        eventCount: 2,
        countsByType: { view: 2 },
        distinctItems: 1,
      },
    ]);
    expect(second.state.profile.recentSessions).toEqual(second.closedSessions);
    expect(second.state.session).toMatchObject({
      sessionId: `${USER}:${BASE + 60 * MINUTE + 1}`,
      startedAt: BASE + 60 * MINUTE + 1,
      eventCount: 1,
    });
    expect(ids(second.state)).toEqual(['evt-0-2']);
  });

  it('keeps a session of exactly maxDurationMs and splits one millisecond later', () => {
    // Every 20 minutes for 4 hours: never idle, 13 events.
    const steady = Array.from({ length: 13 }, (_, index) => ({ at: BASE + index * 20 * MINUTE }));
    const result = apply(batch([...steady, { at: BASE + 4 * HOUR + 1 }]));
    expect(result.closedSessions).toHaveLength(1);
    expect(result.closedSessions[0]).toMatchObject({
      startedAt: BASE,
      endedAt: BASE + 4 * HOUR,
      eventCount: 13,
    });
    expect(result.state.session).toMatchObject({ startedAt: BASE + 4 * HOUR + 1, eventCount: 1 });
  });

  it('splits when the client sessionId changes, not when it is missing', () => {
    const result = apply(
      batch([
        { at: BASE },
        { at: BASE + MINUTE, sessionId: 'tab-a' },
        { at: BASE + 2 * MINUTE },
        { at: BASE + 3 * MINUTE, sessionId: 'tab-a' },
        { at: BASE + 4 * MINUTE, sessionId: 'tab-b' },
      ]),
    );
    expect(result.closedSessions).toHaveLength(1);
    expect(result.closedSessions[0]).toMatchObject({ eventCount: 4, endedAt: BASE + 3 * MINUTE });
    expect(result.state.session).toMatchObject({
      sessionId: `${USER}:${BASE + 4 * MINUTE}`,
      clientSessionId: 'tab-b',
      eventCount: 1,
    });
  });

  it('gives a client-session split in the same millisecond a distinct session id', () => {
    const result = apply(
      batch([
        { at: BASE, sessionId: 'a' },
        { at: BASE, sessionId: 'b' },
        { at: BASE, sessionId: 'c' },
      ]),
    );
    expect(result.closedSessions.map((session) => session.sessionId)).toEqual([
      `${USER}:${BASE}`,
      `${USER}:${BASE}:1`,
    ]);
    expect(result.state.session?.sessionId).toBe(`${USER}:${BASE}:2`);
  });

  it('summarises closed sessions newest first, trimmed to recentSessions', () => {
    const rules = { ...RULES, recentSessions: 2 };
    const starts = [0, 1, 2, 3].map((hour) => BASE + hour * HOUR);
    const result = apply(batch(starts.map((at) => ({ at }))), null, rules);
    expect(result.closedSessions.map((session) => session.startedAt)).toEqual(starts.slice(0, 3));
    expect(result.state.profile.recentSessions.map((session) => session.sessionId)).toEqual([
      `${USER}:${starts[2]}`,
      `${USER}:${starts[1]}`,
    ]);
  });
});

describe('out-of-order and late events', () => {
  it('places an event within lateness in timestamp order and keeps the session id', () => {
    const result = apply(
      batch([
        { at: BASE + 10 * MINUTE }, // evt-0-0 opens the session
        { at: BASE + 15 * MINUTE }, // evt-0-1
        { at: BASE + 12 * MINUTE }, // evt-0-2 goes between
        { at: BASE + 15 * MINUTE }, // evt-0-3 ties go after the earlier arrival
        { at: BASE + 6 * MINUTE }, // evt-0-4: watermark - lateness is +5 min, so still in time
      ]),
    );
    expect(result.late).toBe(0);
    expect(ids(result.state)).toEqual(['evt-0-4', 'evt-0-0', 'evt-0-2', 'evt-0-1', 'evt-0-3']);
    expect(result.state.session).toMatchObject({
      sessionId: `${USER}:${BASE + 10 * MINUTE}`,
      startedAt: BASE + 6 * MINUTE,
      lastEventAt: BASE + 15 * MINUTE,
      eventCount: 5,
    });
    expect(result.state.watermark).toBe(BASE + 15 * MINUTE);
  });

  it('counts an event older than watermark - lateness in the profile only', () => {
    const result = apply(
      batch([
        { at: BASE + 30 * MINUTE },
        { at: BASE + 20 * MINUTE, itemId: 'on-time' }, // exactly at the lateness bound: in time
        { at: BASE + 20 * MINUTE - 1, itemId: 'too-late', type: 'purchase' },
      ]),
    );
    expect(result).toMatchObject({ applied: 3, late: 1, duplicates: 0 });
    expect(ids(result.state)).toEqual(['evt-0-1', 'evt-0-0']);
    expect(result.state.session?.eventCount).toBe(2);
    expect(result.state.session?.countsByType).toEqual({ view: 2 });
    expect(result.state.profile.totalsByType).toEqual({ view: 2, purchase: 1 });
    expect(result.state.profile.totalEvents).toBe(3);
    expect(result.state.profile.itemAffinities['too-late']?.score).toBe(8);
    expect(result.state.watermark).toBe(BASE + 30 * MINUTE);
    expect(result.state.lastEventId).toBe('evt-0-2');
    expect(result.state.lastEventTime).toBe(BASE + 20 * MINUTE - 1);
  });

  it('keeps an in-lateness event that belongs to an older session out of the window', () => {
    const rules = {
      ...RULES,
      inactivityGapMs: 45 * MINUTE,
      allowedLatenessMs: 2 * HOUR,
      maxDurationMs: HOUR,
    };
    const result = apply(
      batch([
        { at: BASE },
        { at: BASE + 90 * MINUTE }, // opens the current session
        { at: BASE + 10 * MINUTE }, // more than a gap before the current session's start
        { at: BASE + 130 * MINUTE },
        { at: BASE + 60 * MINUTE }, // within a gap of the start, but would stretch it to 70 min
      ]),
      null,
      rules,
    );
    expect(result).toMatchObject({ applied: 5, late: 2 });
    expect(ids(result.state)).toEqual(['evt-0-1', 'evt-0-3']);
    expect(result.state.session?.startedAt).toBe(BASE + 90 * MINUTE);
    expect(result.state.profile.totalEvents).toBe(5);
  });

  it('keeps an older event of another client session out of the current one', () => {
    const result = apply(
      batch([
        { at: BASE, sessionId: 'a' },
        { at: BASE + 5 * MINUTE, sessionId: 'b' },
        { at: BASE + 4 * MINUTE, sessionId: 'a' },
      ]),
    );
    expect(result).toMatchObject({ applied: 3, late: 1 });
    expect(result.closedSessions).toHaveLength(1);
    expect(ids(result.state)).toEqual(['evt-0-1']);
  });
});

describe('deduplication', () => {
  const events = batch([
    { at: BASE, itemId: 'a', context: { category: 'shoes' } },
    { at: BASE + MINUTE, itemId: 'b', type: 'click' },
    { at: BASE + 40 * MINUTE, itemId: 'c', type: 'rating', value: 5 },
    { at: BASE + 35 * MINUTE, itemId: 'a', type: 'purchase' },
  ]);

  it('ignores a redelivered batch entirely', () => {
    const once = apply(events);
    const twice = apply(events, once.state);
    expect(twice).toEqual({
      state: once.state,
      applied: 0,
      duplicates: 4,
      late: 0,
      closedSessions: [],
    });
  });

  it('applies only the new tail of a partially redelivered batch', () => {
    const head = apply(events.slice(0, 2));
    const replay = apply(events, head.state);
    expect(replay).toMatchObject({ applied: 2, duplicates: 2 });
    expect(replay.state).toEqual(apply(events).state);
  });

  it('compares offsets as integers, not as text or doubles', () => {
    const at = (offset: string, eventId: string): IncomingEvent => ({
      ...batch([{ at: BASE, eventId }])[0]!,
      offset,
    });
    const nine = apply([at('9', 'e9'), at('10', 'e10')]);
    expect(nine).toMatchObject({ applied: 2, duplicates: 0 });
    // 2^53 + 1 rounds to 2^53 as a double, which would call it a duplicate.
    const big = apply([at('9007199254740992', 'x1'), at('9007199254740993', 'x2')]);
    expect(big).toMatchObject({ applied: 2, duplicates: 0 });
    expect(big.state.appliedOffset).toBe('9007199254740993');
  });

  it('skips a client retry (same eventId) at a new offset but records the offset', () => {
    const first = apply(batch([{ at: BASE, eventId: 'retry-me' }]));
    const retry = apply(batch([{ at: BASE, eventId: 'retry-me' }], 1), first.state);
    expect(retry).toMatchObject({ applied: 0, duplicates: 1, late: 0 });
    expect(retry.state).toEqual({ ...first.state, appliedOffset: '1' });
  });

  it('dedupes by offset only on the same partition', () => {
    const first = apply(batch([{ at: BASE }], 5, 0));
    const moved = apply(batch([{ at: BASE + MINUTE }], 0, 1), first.state);
    expect(moved).toMatchObject({ applied: 1, duplicates: 0 });
    expect(moved.state).toMatchObject({ appliedPartition: 1, appliedOffset: '0' });
  });

  it('remembers only the last recentEventIds ids, newest last', () => {
    const rules = { ...RULES, recentEventIds: 3 };
    const five = apply(
      batch([0, 1, 2, 3, 4].map((index) => ({ at: BASE + index * MINUTE }))),
      null,
      rules,
    );
    expect(five.state.recentEventIds).toEqual(['evt-0-2', 'evt-0-3', 'evt-0-4']);
    const retries = batch([
      { at: BASE + 5 * MINUTE, eventId: 'evt-0-4' }, // remembered: a duplicate
      { at: BASE + 5 * MINUTE, eventId: 'evt-0-0' }, // forgotten: counted again (documented bound)
    ]).map((event, index) => ({ ...event, offset: String(10 + index) }));
    const result = apply(retries, five.state, rules);
    expect(result).toMatchObject({ applied: 1, duplicates: 1 });
    expect(result.state.recentEventIds).toEqual(['evt-0-3', 'evt-0-4', 'evt-0-0']);
  });
});

describe('window bounds', () => {
  it('keeps the last maxWindowEvents events but counts every event', () => {
    const rules = { ...RULES, maxWindowEvents: 3 };
    const types = ['view', 'click', 'view', 'click', 'view'] as const;
    const result = apply(
      batch(types.map((type, index) => ({ at: BASE + index * MINUTE, type }))),
      null,
      rules,
    );
    expect(ids(result.state)).toEqual(['evt-0-2', 'evt-0-3', 'evt-0-4']);
    expect(result.state.session?.eventCount).toBe(5);
    expect(result.state.session?.countsByType).toEqual({ view: 3, click: 2 });
  });

  it('caps distinct items and stops adding once full', () => {
    const rules = { ...RULES, maxDistinctItems: 2 };
    const result = apply(
      batch(['a', 'b', 'a', 'c', 'b'].map((itemId, index) => ({ at: BASE + index, itemId }))),
      null,
      rules,
    );
    expect(result.state.session?.distinctItemIds).toEqual(['a', 'b']);
    expect(result.state.session && summarize(result.state.session).distinctItems).toBe(2);
  });
});

describe('affinities', () => {
  const halfLife = RULES.affinityHalfLifeMs;

  it('halves a score every half-life and never grows looking backwards', () => {
    const affinity = { score: 8, updatedAt: BASE };
    expect(decayedScore(affinity, BASE + halfLife, halfLife)).toBe(4);
    expect(decayedScore(affinity, BASE + 2 * halfLife, halfLife)).toBe(2);
    expect(decayedScore(affinity, BASE, halfLife)).toBe(8);
    expect(decayedScore(affinity, BASE - halfLife, halfLife)).toBe(8);
  });

  it('decays the old score before adding a newer event', () => {
    const result = apply(
      batch([
        { at: BASE, type: 'purchase', context: { category: 'shoes' } },
        { at: BASE + halfLife, context: { category: 'shoes' } },
      ]),
    );
    const expected = { score: 5, updatedAt: BASE + halfLife };
    expect(result.state.profile.itemAffinities['item-1']).toEqual(expected);
    expect(result.state.profile.categoryAffinities).toEqual({ shoes: expected });
  });

  it('decays an older event to the entry time instead (order does not matter)', () => {
    const result = apply(
      batch([
        { at: BASE + halfLife, type: 'view' },
        { at: BASE, type: 'purchase' }, // far beyond lateness: profile only
      ]),
    );
    expect(result.late).toBe(1);
    expect(result.state.profile.itemAffinities['item-1']).toEqual({
      score: 5,
      updatedAt: BASE + halfLife,
    });
  });

  it('weighs events as specified, ratings around 3 and dislikes negative', () => {
    expect(EVENT_WEIGHTS).toMatchObject({
      view: 1,
      click: 2,
      add_to_cart: 4,
      purchase: 8,
      like: 4,
      dislike: -4,
    });
    const specs: EventSpec[] = [
      { itemId: 'r5', type: 'rating', value: 5, at: BASE },
      { itemId: 'r1', type: 'rating', value: 1, at: BASE },
      { itemId: 'r3', type: 'rating', value: 3, at: BASE },
      { itemId: 'r4.5', type: 'rating', value: 4.5, at: BASE },
      { itemId: 'd', type: 'dislike', at: BASE },
      { itemId: 'l', type: 'like', at: BASE },
      { itemId: 'cart', type: 'add_to_cart', at: BASE },
    ];
    const scores = Object.fromEntries(
      Object.entries(apply(batch(specs)).state.profile.itemAffinities).map(([key, value]) => [
        key,
        value.score,
      ]),
    );
    expect(scores).toEqual({ r5: 4, r1: -4, r3: 0, 'r4.5': 3, d: -4, l: 4, cart: 4 });
  });

  it('evicts the lowest decayed score beyond maxAffinities', () => {
    const rules = { ...RULES, maxAffinities: 3 };
    const result = apply(
      batch([
        { itemId: 'old-purchase', type: 'purchase', at: BASE }, // 8 decays to 1 after 3 half-lives
        { itemId: 'click', type: 'click', at: BASE + 3 * halfLife },
        { itemId: 'cart', type: 'add_to_cart', at: BASE + 3 * halfLife },
        { itemId: 'view', type: 'view', at: BASE + 3 * halfLife }, // ties with old-purchase
        { itemId: 'disliked', type: 'dislike', at: BASE + 3 * halfLife },
      ]),
      null,
      rules,
    );
    // Tie at 1 resolved by key ('old-purchase' < 'view'); then the dislike (-4) is the lowest.
    expect(Object.keys(result.state.profile.itemAffinities).sort()).toEqual([
      'cart',
      'click',
      'view',
    ]);
  });

  it('treats __proto__ and constructor as plain keys without polluting prototypes', () => {
    const events = batch([
      { at: BASE, itemId: '__proto__', context: { category: '__proto__' } },
      { at: BASE + 1, itemId: 'constructor', context: { category: 'constructor' } },
    ]);
    const first = apply(events);
    const second = apply(
      batch([{ at: BASE, itemId: '__proto__', context: { category: '__proto__' } }], 2),
      first.state,
    );
    const { itemAffinities, categoryAffinities } = second.state.profile;
    for (const record of [itemAffinities, categoryAffinities]) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(Object.hasOwn(record, '__proto__')).toBe(true);
      expect(Object.keys(record).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({
        score: 2,
        updatedAt: BASE,
      });
      expect(record.constructor).toEqual({ score: 1, updatedAt: BASE + 1 });
    }
    expect(({} as Record<string, unknown>).score).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('updatedAt');
  });
});

describe('purity and determinism', () => {
  const events = batch([
    { at: BASE, itemId: 'a', context: { category: 'shoes' }, sessionId: 's1' },
    { at: BASE + 5 * MINUTE, itemId: 'b', type: 'click', sessionId: 's1' },
    { at: BASE + 2 * MINUTE, itemId: 'c', type: 'like' },
    { at: BASE + 2 * HOUR, itemId: 'a', type: 'rating', value: 4 },
    { at: BASE + 2 * HOUR - 20 * MINUTE, itemId: 'd', type: 'dislike' },
    { at: BASE + 3 * HOUR, itemId: 'e', type: 'purchase', sessionId: 's2' },
  ]);

  it('gives identical output for identical input, to the key order', () => {
    const first = apply(events);
    const second = apply(events);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('gives the same state whether a batch is applied at once or in parts', () => {
    const whole = apply(events);
    const head = apply(events.slice(0, 3));
    const tail = apply(events.slice(3), head.state);
    expect(tail.state).toEqual(whole.state);
    expect([...head.closedSessions, ...tail.closedSessions]).toEqual(whole.closedSessions);
  });

  it('never mutates the previous state', () => {
    // The next events extend the open session, close it and touch every part of the profile.
    const previous = apply(events.slice(0, 2)).state;
    const snapshot = structuredClone(previous);
    deepFreeze(previous);
    const next = apply(events.slice(2), previous);
    expect(previous).toEqual(snapshot);
    expect(next.closedSessions[0]?.eventCount).toBe(3);
    expect(next.state.profile.totalEvents).toBe(6);
  });

  it('rejects events or state of another user', () => {
    const foreign = batch([{ at: BASE, userId: 'user-2' }]);
    expect(() => apply(foreign)).toThrow(/user-2/);
    expect(() => applyEvents(emptyUserState('user-2'), USER, [], RULES)).toThrow(/user-2/);
  });
});
