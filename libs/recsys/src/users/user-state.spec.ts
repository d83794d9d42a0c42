import { UserState, UserStateStore } from './user-state';
import { UserVectors } from './user-vectors';

const limits = { historyLength: 2, maxSeenItems: 3 };
const historyOf = (state: UserState) =>
  Array.from({ length: state.length }, (_, i) => [state.itemIdAt(i), state.typeAt(i)]);

describe('UserState', () => {
  it('keeps the last L history entries and a bounded seen list that forgets the oldest', () => {
    const state = new UserState(limits);
    ['a', 'b', 'c', 'd'].forEach((itemId) => state.record(itemId, 'view', true));
    expect(historyOf(state)).toEqual([
      ['c', 'view'],
      ['d', 'view'],
    ]);
    expect(state.recentItemIds()).toEqual(['c', 'd']);
    expect(state.recentItemIds(1)).toEqual(['d']);
    expect(state.seen).toEqual(['b', 'c', 'd']);
    state.record('b', 'click', false); // seen again: becomes the youngest, history unchanged
    state.record('e', 'click', false);
    expect(state.seen).toEqual(['d', 'b', 'e']);
    expect(state.lastItemId).toBe('d');
    state.record('f', 'purchase', true);
    expect(historyOf(state)).toEqual([
      ['d', 'view'],
      ['f', 'purchase'],
    ]);
  });

  it('holds the shared event-type string, not the copy the event brought', () => {
    const state = new UserState(limits);
    const parsed = (JSON.parse('{"type":"add_to_cart"}') as { type: 'add_to_cart' }).type;
    state.record('a', parsed, true);
    expect(state.typeAt(0)).toBe('add_to_cart');
  });

  it('has no history and no last item before the first event', () => {
    const state = new UserState(limits);
    expect(state.length).toBe(0);
    expect(state.lastItemId).toBeUndefined();
    expect(state.recentItemIds()).toEqual([]);
  });
});

describe('UserStateStore', () => {
  it('forgets the least recently active user beyond its bound', () => {
    const store = new UserStateStore(limits, 2);
    store.getOrCreate('u1');
    store.getOrCreate('u2');
    store.getOrCreate('u1');
    store.getOrCreate('u3');
    expect(store.get('u2')).toBeUndefined();
    expect(store.get('u1')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('blends the long-term vector as an exponential moving average', () => {
    const store = new UserStateStore(limits);
    const state = store.getOrCreate('u1');
    expect(store.longTermOf(state)).toBeUndefined();
    store.blendLongTerm(state, Float32Array.from([1, 0]), 0.5);
    store.blendLongTerm(state, Float32Array.from([0, 1]), 0.5);
    expect(Array.from(store.longTermOf(state) ?? [])).toEqual([0.5, 0.5]);
  });

  it('gives an evicted user’s vector slot to the next user, whose vector starts fresh', () => {
    const store = new UserStateStore(limits, 1);
    const first = store.getOrCreate('u1');
    store.blendLongTerm(first, Float32Array.from([1, 2]), 0.5);
    const second = store.getOrCreate('u2');
    expect(first.vectorSlot).toBe(-1);
    store.blendLongTerm(second, Float32Array.from([3, 4]), 0.5);
    expect(second.vectorSlot).toBe(0);
    expect(Array.from(store.longTermOf(second) ?? [])).toEqual([3, 4]);
  });

  it('restores a vector only for a user without one, and drops them all on a model change', () => {
    const store = new UserStateStore(limits);
    const state = store.getOrCreate('u1');
    store.restoreLongTerm(state, Float32Array.from([1, 1]));
    store.restoreLongTerm(state, Float32Array.from([9, 9]));
    expect(Array.from(store.longTermOf(state) ?? [])).toEqual([1, 1]);
    store.resetLongTerm();
    expect(store.longTermOf(state)).toBeUndefined();
    expect(store.vectorBytes).toBe(0);
    store.restoreLongTerm(state, Float32Array.from([1, 2, 3])); // another model's dimension
    expect(Array.from(store.longTermOf(state) ?? [])).toEqual([1, 2, 3]);
  });
});

describe('UserVectors', () => {
  it('packs vectors into shared chunks and keeps each one apart', () => {
    const vectors = new UserVectors();
    const slots = Array.from({ length: 2_000 }, (_, i) => vectors.allocate(Float32Array.of(i, -i)));
    expect(slots[1_999]).toBe(1_999);
    expect(Array.from(vectors.view(1_500))).toEqual([1_500, -1_500]);
    expect(vectors.bytes).toBe(2 * 1_024 * 2 * 4); // two chunks of 1,024 two-float vectors
    vectors.release(7);
    expect(vectors.allocate(Float32Array.of(5, 5))).toBe(7);
    expect(() => vectors.allocate(Float32Array.of(1))).toThrow(/1 dimensions, expected 2/);
  });
});
