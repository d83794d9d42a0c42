/** An output buffer that doubles when full (the LZ4 frame encoder's and decoder's). */
export class GrowableBytes {
  private bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
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

  /**
   * The bytes written. Records decoded from it keep slices of it alive, so a buffer much larger
   * than its content is copied down to size rather than kept whole.
   */
  toBuffer(): Buffer {
    if (this.length >= this.bytes.length * 0.75) return this.bytes.subarray(0, this.length);
    return Buffer.from(this.bytes.subarray(0, this.length));
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
