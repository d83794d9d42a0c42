/**
 * The LZ4 frame encoder's and decoder's work area: it doubles when full and is reused from call
 * to call (each is synchronous; it keeps the size of the largest result), and a call's result
 * is copied out at its exact size. A fresh, oversized buffer per call (decoded batches do not
 * say how big they are) would make the allocator churn through blocks of many sizes, and keep
 * the slack alive for as long as any record sliced from it.
 */
export class GrowableBytes {
  private bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Starts a new result. */
  reset(): void {
    this.length = 0;
  }

  append(source: Uint8Array, from: number, count: number): void {
    this.reserve(count);
    const bytes = this.bytes;
    if (count < 32) {
      // Short runs are most of them; a loop beats making a view to copy from.
      for (let i = 0; i < count; i++) bytes[this.length + i] = source[from + i] as number;
    } else {
      bytes.set(source.subarray(from, from + count), this.length);
    }
    this.length += count;
  }

  writeByte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Little-endian, as LZ4 frames store their words. */
  writeUint32(value: number): void {
    this.reserve(4);
    this.bytes.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  patchUint32(at: number, value: number): void {
    this.bytes.writeUInt32LE(value >>> 0, at);
  }

  /** Drops everything from `length` on. */
  truncate(length: number): void {
    this.length = length;
  }

  /** Appends `count` bytes copied from `offset` bytes back; the ranges may overlap. */
  copyMatch(offset: number, count: number): void {
    this.reserve(count);
    const bytes = this.bytes;
    let from = this.length - offset;
    let to = this.length;
    if (offset >= count) {
      bytes.copyWithin(to, from, from + count);
    } else {
      // Overlapping: the match repeats the last `offset` bytes, so copy byte by byte.
      for (const end = to + count; to < end;) bytes[to++] = bytes[from++] as number;
    }
    this.length += count;
  }

  /** A copy of the bytes written, exactly as long. */
  copyOut(): Buffer {
    const result = Buffer.allocUnsafe(this.length);
    this.bytes.copy(result, 0, 0, this.length);
    return result;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}
