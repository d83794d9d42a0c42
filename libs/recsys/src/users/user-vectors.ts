import { ChunkedColumn, SlotAllocator } from '../domain/chunked-slots';

/** Vectors per chunk: 256 KiB at 64 dimensions, so the last, partly used chunk wastes little. */
const VECTORS_PER_CHUNK = 1_024;

/**
 * Users' long-term vectors, packed into shared Float32Array chunks and addressed by slot. A
 * Float32Array per user cost about 440 bytes for 256 bytes of floats; here a vector costs its
 * floats. Freed slots are reused; chunks are never moved, so a view stays valid.
 */
export class UserVectors {
  private slots = new SlotAllocator();
  /** Created by the first vector, whose length fixes the dimension until `clear`. */
  private floats: ChunkedColumn<Float32Array> | undefined;

  /** A slot holding a copy of `vector`. */
  allocate(vector: Float32Array): number {
    this.floats ??= new ChunkedColumn((n) => new Float32Array(n), vector.length, VECTORS_PER_CHUNK);
    if (vector.length !== this.floats.width) {
      throw new Error(`user vector of ${vector.length} dimensions, expected ${this.floats.width}`);
    }
    const slot = this.slots.allocate();
    this.floats.view(slot).set(vector);
    return slot;
  }

  /** The vector in `slot`, as a view into its chunk (writes go to the stored vector). */
  view(slot: number): Float32Array {
    if (this.floats === undefined) throw new Error(`user vector slot ${slot} was never allocated`);
    return this.floats.view(slot);
  }

  release(slot: number): void {
    this.slots.release(slot);
  }

  /** Forgets every vector (a new model: the vectors lived in the old table's space). */
  clear(): void {
    this.slots = new SlotAllocator();
    this.floats = undefined;
  }

  /** Bytes of float storage held (for tests and memory accounting). */
  get bytes(): number {
    return this.floats?.bytes ?? 0;
  }
}
