import { indexOfPackedRow, packedRowAt, packRows } from './packed-rows';

describe('packRows', () => {
  it('finds each row at its position, narrow and wide', () => {
    for (const rows of [
      [3, 0, 65_535, 17, 9_999],
      [3, 0, 65_536, 17, 2_147_483_647, 131_072],
    ]) {
      const packed = packRows(rows);
      rows.forEach((row, index) => {
        expect(packedRowAt(packed, index)).toBe(row);
        expect(indexOfPackedRow(packed, row)).toBe(rows.indexOf(row));
      });
      expect(indexOfPackedRow(packed, 12_345)).toBe(-1);
    }
  });

  it('keeps rows of 16 bits in 2 bytes each and wider ones in 4', () => {
    expect(packRows([1, 2, 3]).length).toBe(1 + 3);
    expect(packRows([1, 70_000, 3]).length).toBe(1 + 2 * 3);
  });

  it('searches from a position on, so a header value is not taken for a row', () => {
    const packed = packRows([2, 7, 2, 9]);
    expect(indexOfPackedRow(packed, 2)).toBe(0);
    expect(indexOfPackedRow(packed, 2, 1)).toBe(2);
    expect(indexOfPackedRow(packRows([2, 70_000, 2]), 2, 1)).toBe(2);
  });

  it('does not match a wide row against the halves of two others', () => {
    // Units after the header: (0,1) (1,5) (0,5); 65,537 is (1,1), which only a misaligned read sees.
    const packed = packRows([1, 65_541, 5]);
    expect(indexOfPackedRow(packed, 65_536 + 1)).toBe(-1);
    expect(indexOfPackedRow(packed, 5)).toBe(2);
  });

  it('packs long lists and refuses what is not a row', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => i * 7);
    expect(indexOfPackedRow(packRows(rows), 6_993)).toBe(999);
    expect(() => packRows([-1])).toThrow(/integer from 0/);
    expect(() => packRows([1.5])).toThrow(/integer from 0/);
  });
});
