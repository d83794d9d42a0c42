import { RowFlags } from './row-flags';

describe('RowFlags', () => {
  it('keeps flags and values per row until the next reset, and forgets them all then', () => {
    const rows = new RowFlags();
    rows.reset(10);
    rows.add(3, 1);
    rows.add(3, 4);
    rows.setValue(7, 0.25);
    expect([rows.get(3), rows.get(7), rows.get(0)]).toEqual([5, 0, 0]);
    expect([rows.value(7, -1), rows.value(3, -1)]).toEqual([0.25, -1]);
    rows.reset(10);
    expect([rows.get(3), rows.value(7, -1)]).toEqual([0, -1]);
  });

  it('grows for rows beyond its size hint, keeping what it holds', () => {
    const rows = new RowFlags();
    rows.reset(4);
    rows.add(2, 2);
    rows.add(50_000, 1);
    rows.setValue(50_001, 3);
    expect([rows.get(2), rows.get(50_000), rows.value(50_001, 0)]).toEqual([2, 1, 3]);
  });

  it('does not let a value pass for a flag, or a flag for a value', () => {
    const rows = new RowFlags();
    rows.reset();
    rows.setValue(1, 0);
    rows.add(2, 1);
    expect([rows.get(1), rows.value(1, 9), rows.value(2, 9)]).toEqual([0, 0, 9]);
  });
});
