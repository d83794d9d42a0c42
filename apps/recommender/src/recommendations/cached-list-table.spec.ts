import { CachedListTable } from './cached-list-table';
import { type RecommendationList } from './recommendation';

const list = (userId: string, n: number, overrides: Partial<RecommendationList> = {}) => ({
  userId,
  items: Array.from({ length: n }, (_, i) => ({ itemId: `${userId}-i${i}`, score: i + 0.5 })),
  model: { name: 'm', version: '1' },
  asOfEventId: `${userId}-e`,
  asOfEventTime: 1_764_547_200_123,
  asOfVersion: 42,
  computedAt: 1_764_547_200_456,
  ...overrides,
});

describe('CachedListTable', () => {
  it('reads back every field of each list, nulls included, across chunks', () => {
    const table = new CachedListTable(3);
    const lists = Array.from({ length: 2_100 }, (_, u) =>
      list(
        `u${u}`,
        u % 4,
        u % 2 === 0 ? {} : { asOfEventId: null, asOfEventTime: null, asOfVersion: null },
      ),
    );
    const slots = lists.map((each, u) =>
      table.add(each, { cachedAt: 1_000 + u, owned: u % 3 === 0 }),
    );

    slots.forEach((slot, u) => {
      const expected = lists[u] as RecommendationList;
      expect(table.read(slot, expected.userId)).toEqual({ ...expected, complete: true });
      expect(table.owned(slot)).toBe(u % 3 === 0);
      expect(table.cachedAt(slot)).toBe(1_000 + u);
      expect(table.asOfVersion(slot)).toBe(expected.asOfVersion);
    });
  });

  it('stamps every write differently, also a list written into a slot another one left', () => {
    const table = new CachedListTable(3);
    const first = table.add(list('a', 2), { cachedAt: 1, owned: true });
    const stampOfFirst = table.writeStamp(first);
    table.release(first);
    const reused = table.add(list('b', 2), { cachedAt: 2, owned: true });
    expect(reused).toBe(first);
    expect(table.writeStamp(reused)).not.toBe(stampOfFirst);
    const other = table.add(list('c', 2), { cachedAt: 3, owned: true });
    expect(new Set([stampOfFirst, table.writeStamp(reused), table.writeStamp(other)]).size).toBe(3);
  });

  it('keeps the first items of a longer list and says it is not complete', () => {
    const table = new CachedListTable(2);
    const long = list('a', 5);
    const read = table.read(table.add(long, { cachedAt: 0, owned: true }), 'a');
    expect(read.items).toEqual(long.items.slice(0, 2));
    expect(read.complete).toBe(false);
  });

  it('tells models apart and reuses a released slot cleanly', () => {
    const table = new CachedListTable(2);
    const a = table.add(list('a', 1), { cachedAt: 0, owned: false });
    const b = table.add(list('b', 1, { model: { name: 'm', version: '2' } }), {
      cachedAt: 0,
      owned: false,
    });
    expect(table.read(a, 'a').model).toEqual({ name: 'm', version: '1' });
    expect(table.read(b, 'b').model).toEqual({ name: 'm', version: '2' });
    table.release(a);
    const c = table.add(list('c', 2, { asOfEventId: null }), { cachedAt: 5, owned: true });
    expect(c).toBe(a);
    expect(table.read(c, 'c')).toMatchObject({ asOfEventId: null, items: list('c', 2).items });
    expect(table.read(b, 'b').asOfEventId).toBe('b-e');
  });
});
