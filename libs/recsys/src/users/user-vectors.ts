/** Vectors per chunk: 256 KiB at 64 dimensions, so the last, partly used chunk wastes little. */
const VECTORS_PER_CHUNK = 1_024;

/**
 * Users' long-term vectors, packed into shared Float32Array chunks and addressed by slot. A
 * Float32Array per user cost about 440 bytes for 256 bytes of floats (the typed array and its
 * ArrayBuffer on the V8 heap, the backing store and its bookkeeping outside it); here a vector
 * costs its floats. Freed slots are reused; chunks are never moved, so a view stays valid.
 */
export class UserVectors {
  private chunks: Float32Array[] = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private dimension: number | undefined;

  /** A slot holding a copy of `vector`. The first vector fixes the dimension until `clear`. */
  allocate(vector: Float32Array): number {
    this.dimension ??= vector.length;
    if (vector.length !== this.dimension) {
      throw new Error(`user vector of ${vector.length} dimensions, expected ${this.dimension}`);
    }
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    const chunk = Math.floor(slot / VECTORS_PER_CHUNK);
    this.chunks[chunk] ??= new Float32Array(VECTORS_PER_CHUNK * this.dimension);
    this.view(slot).set(vector);
    return slot;
  }

  /** The vector in `slot`, as a view into its chunk (writes go to the stored vector). */
  view(slot: number): Float32Array {
    const dimension = this.dimension ?? 0;
    const chunk = this.chunks[Math.floor(slot / VECTORS_PER_CHUNK)];
    if (chunk === undefined) throw new Error(`user vector slot ${slot} was never allocated`);
    const offset = (slot % VECTORS_PER_CHUNK) * dimension;
    return chunk.subarray(offset, offset + dimension);
  }

  release(slot: number): void {
    this.freeSlots.push(slot);
  }

  /** Forgets every vector (a new model: the vectors lived in the old table's space). */
  clear(): void {
    this.chunks = [];
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    this.dimension = undefined;
  }

  /** Bytes of float storage held (for tests and memory accounting). */
  get bytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  }
}
