import { UserState, UserStateStore } from './user-state';

const entry = (itemId: string, timestamp: number) => ({ itemId, type: 'view' as const, timestamp });

describe('UserState', () => {
  it('keeps the last L history entries and a bounded seen set that forgets the oldest', () => {
    const state = new UserState({ historyLength: 2, maxSeenItems: 3 });
    ['a', 'b', 'c', 'd'].forEach((itemId, i) => state.record(entry(itemId, i), true));
    expect(state.history.map((e) => e.itemId)).toEqual(['c', 'd']);
    expect([...state.seen]).toEqual(['b', 'c', 'd']);
    state.record(entry('b', 5), false); // seen again: becomes the youngest, history unchanged
    state.record(entry('e', 6), false);
    expect([...state.seen]).toEqual(['d', 'b', 'e']);
    expect(state.lastItemId).toBe('d');
  });

  it('blends the long-term embedding as an exponential moving average', () => {
    const state = new UserState({ historyLength: 2, maxSeenItems: 3 });
    state.blendLongTerm(Float32Array.from([1, 0]), 0.5);
    state.blendLongTerm(Float32Array.from([0, 1]), 0.5);
    expect(Array.from(state.longTermEmbedding ?? [])).toEqual([0.5, 0.5]);
  });
});

describe('UserStateStore', () => {
  it('forgets the least recently active user beyond its bound', () => {
    const store = new UserStateStore({ historyLength: 2, maxSeenItems: 3 }, 2);
    store.getOrCreate('u1');
    store.getOrCreate('u2');
    store.getOrCreate('u1');
    store.getOrCreate('u3');
    expect(store.get('u2')).toBeUndefined();
    expect(store.get('u1')).toBeDefined();
    expect(store.size).toBe(2);
  });
});
