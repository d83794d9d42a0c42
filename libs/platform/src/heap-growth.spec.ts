import { applyHeapGrowth } from './heap-growth';

describe('applyHeapGrowth', () => {
  it('sets V8 heap growth to the configured percent', () => {
    const set: string[] = [];
    expect(applyHeapGrowth(30, ['--enable-source-maps'], (flags) => set.push(flags))).toBe(
      '--heap-growing-percent=30',
    );
    expect(set).toEqual(['--heap-growing-percent=30']);
  });

  it("leaves V8's own rule at 0, and a node flag given on the command line in place", () => {
    const set: string[] = [];
    expect(applyHeapGrowth(0, [], (flags) => set.push(flags))).toBeNull();
    expect(
      applyHeapGrowth(30, ['--heap-growing-percent=80'], (flags) => set.push(flags)),
    ).toBeNull();
    expect(applyHeapGrowth(30, ['--heap_growing_percent', '80'], (f) => set.push(f))).toBeNull();
    expect(set).toEqual([]);
  });
});
