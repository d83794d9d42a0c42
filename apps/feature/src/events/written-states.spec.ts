import { type UserEventMessage } from '@kairos/contracts';
import {
  applyEvents,
  DEFAULT_SESSION_RULES,
  emptyUserState,
  type IncomingEvent,
} from '../sessions/session-window';
import { type UserState } from '../sessions/user-state';
import { type VersionedState } from '../storage/user-state.store';
import { approximateHeapBytes } from './state-footprint';
import { WrittenStates } from './written-states';

const T0 = Date.parse('2026-11-30T10:00:00Z');

const written = (userId: string): VersionedState => ({ state: emptyUserState(userId), version: 1 });

/** A user's state after `count` views of distinct items, one second apart, ids `length` long. */
function stateAfter(userId: string, count: number, length = 24): UserState {
  const events: IncomingEvent[] = Array.from({ length: count }, (_, n) => {
    const message: UserEventMessage = {
      eventId: `${userId}-e${n}-`.padEnd(length, 'x'),
      userId,
      itemId: `item-${n}-`.padEnd(length, 'x'),
      type: 'view',
      timestamp: T0 + n * 1_000,
      receivedAt: T0 + n * 1_000,
      context: { category: `category-${n}` },
    };
    return { message, partition: 0, offset: String(n) };
  });
  return applyEvents(null, userId, events, DEFAULT_SESSION_RULES).state;
}

describe('WrittenStates', () => {
  it('keeps at most maxStates, evicting the least recently written', () => {
    const cache = new WrittenStates({ maxStates: 2, maxBytes: Number.MAX_SAFE_INTEGER });
    cache.remember('a', written('a'));
    cache.remember('b', written('b'));
    cache.remember('a', written('a')); // written again: now the most recent
    cache.remember('c', written('c'));

    const { found, missing } = cache.lookup(['a', 'b', 'c']);
    expect([...found.keys()].sort()).toEqual(['a', 'c']);
    expect(missing).toEqual(['b']);
    expect(cache.usage.states).toBe(2);
  });

  it('keeps at most maxBytes of states by their footprint, however few they are', () => {
    const bytesOf = new Map([
      ['small', 100],
      ['large', 700],
      ['medium', 300],
    ]);
    const cache = new WrittenStates(
      { maxStates: 1_000, maxBytes: 1_000 },
      ({ state }) => bytesOf.get(state.userId) ?? 0,
    );
    cache.remember('small', written('small'));
    cache.remember('large', written('large'));
    expect(cache.usage).toEqual({ states: 2, bytes: 800 });

    cache.remember('medium', written('medium'));

    expect(cache.lookup(['small', 'large', 'medium']).missing).toEqual(['small']);
    expect(cache.usage).toEqual({ states: 2, bytes: 1_000 });
  });

  it('does not keep a state larger than the whole budget, nor let it evict the others', () => {
    const cache = new WrittenStates({ maxStates: 10, maxBytes: 1_000 }, ({ state }) =>
      state.userId === 'huge' ? 5_000 : 100,
    );
    cache.remember('a', written('a'));
    cache.remember('huge', written('huge'));

    expect(cache.lookup(['a', 'huge']).missing).toEqual(['huge']);
    expect(cache.usage).toEqual({ states: 1, bytes: 100 });
  });

  it('counts a rewritten, forgotten or cleared user once or not at all', () => {
    const cache = new WrittenStates({ maxStates: 10, maxBytes: 10_000 }, () => 100);
    cache.remember('a', written('a'));
    cache.remember('a', written('a'));
    cache.remember('b', written('b'));
    expect(cache.usage).toEqual({ states: 2, bytes: 200 });

    cache.forget(['a', 'unknown']);
    expect(cache.usage).toEqual({ states: 1, bytes: 100 });

    cache.clear();
    expect(cache.usage).toEqual({ states: 0, bytes: 0 });
    expect(cache.lookup(['b']).missing).toEqual(['b']);
  });

  it('budgets by the real footprint by default: few full states fill what many new ones do not', () => {
    const full = stateAfter('full', 1_100, 128);
    const fresh = stateAfter('fresh', 1);
    const budget = 3 * approximateHeapBytes(full);
    const cache = new WrittenStates({ maxStates: 1_000, maxBytes: budget });

    for (let i = 0; i < 100; i++) cache.remember(`fresh${i}`, { state: fresh, version: 1 });
    expect(cache.usage.states).toBe(100);
    for (let i = 0; i < 5; i++) cache.remember(`full${i}`, { state: full, version: 1 });

    expect(cache.usage.bytes).toBeLessThanOrEqual(budget);
    expect(cache.lookup(['full4', 'full3']).missing).toEqual([]);
    expect(cache.lookup(['full0', 'fresh0']).missing).toEqual(['full0', 'fresh0']);
  });
});

describe('approximateHeapBytes', () => {
  it('grows with what the rules let a state hold, from under 3 KB to over 100 KB', () => {
    const fresh = approximateHeapBytes(stateAfter('u', 1));
    const full = approximateHeapBytes(stateAfter('u', 1_100, 128));

    expect(fresh).toBeLessThan(3 * 1_024);
    expect(full).toBeGreaterThan(100 * 1_024);
    expect(approximateHeapBytes(stateAfter('u', 100))).toBeLessThan(full);
  });
});
