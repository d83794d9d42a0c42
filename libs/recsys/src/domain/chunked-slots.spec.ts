import { ChunkedColumn, SlotAllocator } from './chunked-slots';

describe('SlotAllocator and ChunkedColumn', () => {
  it('reuses released slots before opening new ones', () => {
    const slots = new SlotAllocator();
    expect([slots.allocate(), slots.allocate(), slots.allocate()]).toEqual([0, 1, 2]);
    slots.release(1);
    expect(slots.size).toBe(2);
    expect(slots.allocate()).toBe(1);
    expect(slots.allocate()).toBe(3);
  });

  it('allocates chunks on first use and keeps each slot apart', () => {
    const column = new ChunkedColumn((n) => new Int32Array(n), 3, 4);
    expect(column.bytes).toBe(0);
    column.view(5).set([7, 8, 9]);
    expect(column.bytes).toBe(2 * 4 * 3 * 4); // slot 5 is in the second chunk of 4 slots
    expect(Array.from(column.view(5))).toEqual([7, 8, 9]);
    expect(Array.from(column.view(4))).toEqual([0, 0, 0]);
    expect(column.chunkOf(5)).toBe(column.chunkOf(7));
    expect(column.offsetOf(5)).toBe(3);
    // A view writes through to the chunk.
    column.view(4)[2] = 1;
    expect(column.chunkOf(4)[2]).toBe(1);
    // Single numbers by field, through the same slot addressing.
    column.set(6, 42, 1);
    expect(column.get(6, 1)).toBe(42);
    expect(Array.from(column.view(6))).toEqual([0, 42, 0]);
    expect(column.get(5)).toBe(7);
  });
});
