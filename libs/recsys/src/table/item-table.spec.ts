import { ItemTable } from './item-table';

describe('ItemTable', () => {
  const seeded = (): ItemTable =>
    ItemTable.fromModel(['a', 'b', 'c'], Float32Array.from([1, 0, 0, 1, 3, 3]), 2);

  it('seeds rows from the model vocabulary and base embeddings', () => {
    const table = seeded();
    expect(table.size).toBe(3);
    expect(table.rowOf('b')).toBe(1);
    expect(Array.from(table.embeddings)).toEqual([1, 0, 0, 1, 3, 3]);
  });

  it('refuses base embeddings of the wrong size', () => {
    expect(() => ItemTable.fromModel(['a'], new Float32Array(3), 2)).toThrow(/expected 1 x 2/);
  });

  it('starts a new item at the centroid of co-occurring items, else of its category', () => {
    const table = seeded();
    table.setCategory('c', 'shoes');
    table.addItem('near-ab', { coOccurringItemIds: ['a', 'b', 'unknown'] });
    expect(Array.from(table.exportRow('near-ab').vector)).toEqual([0.5, 0.5]);
    table.addItem('new-shoe', { category: 'shoes' });
    expect(Array.from(table.exportRow('new-shoe').vector)).toEqual([3, 3]);
    table.addItem('stranger');
    const vector = table.exportRow('stranger').vector;
    expect(Math.max(...Array.from(vector, Math.abs))).toBeLessThan(0.01);
  });

  it('keeps every row when it grows past its initial capacity', () => {
    const table = new ItemTable(2);
    for (let i = 0; i < 3000; i++)
      table.applyRow({ itemId: `i${i}`, vector: Float32Array.from([i, -i]), version: 1 });
    expect(table.size).toBe(3000);
    expect(Array.from(table.exportRow('i2999').vector)).toEqual([2999, -2999]);
    expect(Array.from(table.exportRow('i5').vector)).toEqual([5, -5]);
  });

  it('applies replicated rows last-writer-wins by version', () => {
    const table = seeded();
    table.touch([0, 0]);
    expect(table.versionOf('a')).toBe(2);
    expect(table.applyRow({ itemId: 'a', vector: Float32Array.from([7, 7]), version: 1 })).toBe(
      false,
    );
    expect(table.applyRow({ itemId: 'a', vector: Float32Array.from([7, 7]), version: 3 })).toBe(
      true,
    );
    expect(Array.from(table.exportRow('a').vector)).toEqual([7, 7]);
  });

  it('lists as learned only the rows stepped here or applied from elsewhere', () => {
    const table = seeded();
    expect(table.learnedItemIds()).toEqual([]);
    table.touch([2]);
    table.applyRow({ itemId: 'new', vector: Float32Array.from([1, 1]), version: 4 });
    expect(table.learnedItemIds()).toEqual(['c', 'new']);
  });

  it('clips a row to a maximum norm without changing its direction', () => {
    const table = seeded();
    table.clipRowNorm(2, Math.SQRT2);
    expect(Array.from(table.exportRow('c').vector).map((v) => Number(v.toFixed(5)))).toEqual([
      1, 1,
    ]);
  });
});
