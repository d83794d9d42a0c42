/**
 * Fixed-width records kept off the V8 heap, one per slot: stores with a record per user (the
 * recommender's cached lists, the engine's user vectors) hold them in chunks of typed arrays
 * instead of a typed array per user, which costs ~170 bytes of V8 wrappers and a separately
 * allocated backing store each, and scatters objects the collector must walk.
 *
 * A `SlotAllocator` hands out slot numbers, reusing released ones first; each field of the record
 * is a `ChunkedColumn` addressed by those slots. Chunks are allocated on first use and never
 * moved, so a slot's place (and a view of it) stays valid until the slot is released.
 */
export class SlotAllocator {
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;

  allocate(): number {
    return this.freeSlots.pop() ?? this.nextSlot++;
  }

  /** Returns `slot` for reuse; reading it afterwards is the caller's bug. */
  release(slot: number): void {
    this.freeSlots.push(slot);
  }

  /** Slots in use. */
  get size(): number {
    return this.nextSlot - this.freeSlots.length;
  }
}

type NumberArray = Int32Array | Float32Array | Float64Array | Uint8Array | Uint16Array;

/** One field of a chunked record: `width` numbers per slot, `slotsPerChunk` slots per chunk. */
export class ChunkedColumn<T extends NumberArray> {
  private readonly chunks: T[] = [];

  constructor(
    private readonly create: (length: number) => T,
    readonly width: number,
    private readonly slotsPerChunk: number,
  ) {}

  /** The chunk holding `slot` (allocated, with any before it, on first use). */
  chunkOf(slot: number): T {
    const index = Math.floor(slot / this.slotsPerChunk);
    while (this.chunks.length <= index) {
      this.chunks.push(this.create(this.slotsPerChunk * this.width));
    }
    return this.chunks[index] as T;
  }

  /** Where `slot`'s numbers start in its chunk. */
  offsetOf(slot: number): number {
    return (slot % this.slotsPerChunk) * this.width;
  }

  /** Number `field` (0 to width - 1) of `slot`. */
  get(slot: number, field = 0): number {
    return this.chunkOf(slot)[this.offsetOf(slot) + field] ?? 0;
  }

  set(slot: number, value: number, field = 0): void {
    this.chunkOf(slot)[this.offsetOf(slot) + field] = value;
  }

  /** `slot`'s numbers as a view into its chunk (writes go to the stored record). */
  view(slot: number): T {
    const offset = this.offsetOf(slot);
    return this.chunkOf(slot).subarray(offset, offset + this.width) as T;
  }

  /** Bytes of storage held. */
  get bytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  }
}
