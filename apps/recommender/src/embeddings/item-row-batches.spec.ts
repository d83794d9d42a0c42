import { packRowBatches, unpackRowBatch } from './item-row-batches';

const row = (itemId: string, version: number, dimension: number, value: number) => ({
  itemId,
  version,
  vector: new Float32Array(dimension).fill(value),
});

describe('item row batches', () => {
  it('round-trips rows, copying vectors on the way in and out', () => {
    const rows = [row('a', 1, 3, 0.5), row('b', 7, 3, -2)];
    const [batch, ...rest] = packRowBatches(rows);
    rows[0]!.vector[0] = 99; // the engine keeps mutating its rows
    expect(rest).toEqual([]);
    const back = unpackRowBatch(batch!);
    expect(back.map((r) => [r.itemId, r.version, Array.from(r.vector)])).toEqual([
      ['a', 1, [0.5, 0.5, 0.5]],
      ['b', 7, [-2, -2, -2]],
    ]);
  });

  it('splits at about 1 MiB of vectors, and never below one row per batch', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`i${i}`, 1, 64, i));
    const batches = packRowBatches(rows);
    expect(batches.map((b) => b.itemIds.length)).toEqual([4096, 4096, 1808]);
    expect(unpackRowBatch(batches[2]!)[1808 - 1]?.vector[63]).toBe(9999);
    const huge = packRowBatches([row('x', 1, 300_000, 1), row('y', 1, 300_000, 2)]);
    expect(huge.map((b) => b.itemIds)).toEqual([['x'], ['y']]);
  });

  it('reads vectors from an unaligned buffer (as the driver hands them out)', () => {
    const [batch] = packRowBatches([row('a', 1, 2, 1.25)]);
    const unaligned = Buffer.alloc(batch!.vectors.byteLength + 1).subarray(1);
    batch!.vectors.copy(unaligned);
    expect(Array.from(unpackRowBatch({ ...batch!, vectors: unaligned })[0]!.vector)).toEqual([
      1.25, 1.25,
    ]);
  });

  it('refuses rows of different lengths and stored batches that do not add up', () => {
    expect(() => packRowBatches([row('a', 1, 2, 0), row('b', 1, 3, 0)])).toThrow(
      'row b has 3 values, the batch has 2',
    );
    expect(() =>
      unpackRowBatch({ itemIds: ['a', 'b'], versions: [1, 1], vectors: Buffer.alloc(12) }),
    ).toThrow('does not add up: 2 id(s), 2 version(s), 12 vector bytes');
  });
});
