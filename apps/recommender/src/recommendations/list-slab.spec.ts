import { ListSlab } from './list-slab';

const items = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    itemId: `${prefix}${i}`,
    score: Math.fround(1 / (i + 3)),
  }));

describe('ListSlab', () => {
  it('reads back each list exactly (float32 scores, as the engine makes them), across chunks', () => {
    const slab = new ListSlab(3);
    const lists = Array.from({ length: 2_500 }, (_, u) => items(`u${u}-`, u % 4));
    const slots = lists.map((list) => slab.add(list));

    expect(slots.map((slot) => slab.read(slot))).toEqual(lists);
    expect(slab.size).toBe(2_500);
  });

  it('keeps a double score as its float32 rounding', () => {
    const slab = new ListSlab(1);
    const slot = slab.add([{ itemId: 'a', score: 0.1 }]);
    expect(slab.read(slot)[0]?.score).toBe(Math.fround(0.1));
  });

  it('reuses released slots without disturbing the lists still held', () => {
    const slab = new ListSlab(2);
    const a = slab.add(items('a', 2));
    const b = slab.add(items('b', 1));
    slab.release(a);
    const c = slab.add(items('c', 1));

    expect(c).toBe(a);
    expect(slab.read(c)).toEqual(items('c', 1));
    expect(slab.read(b)).toEqual(items('b', 1));
    expect(slab.size).toBe(2);
  });

  it('refuses a list longer than its slots, and a width it cannot record', () => {
    expect(() => new ListSlab(2).add(items('x', 3))).toThrow(/3 items does not fit slots of 2/);
    expect(() => new ListSlab(256)).toThrow(/from 1 to 255/);
  });
});
