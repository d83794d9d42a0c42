import { GrowableBytes } from './growable-bytes';
import { FRAME_MAGIC, MIN_MATCH, readUint32, STORED_BLOCK } from './lz4-frame.format';

/**
 * Encoder of the LZ4 frame format, for Kafka's LZ4 compression: independent blocks of at most
 * 64 KiB, no checksums (the record batch has a CRC), no content size. That descriptor is fixed,
 * so its checksum byte is too: 0x82, the second byte of xxHash32([0x60, 0x40]) as the format
 * defines it (the same bytes the reference library writes for these settings).
 *
 * Each block is compressed greedily, the way the reference library's fast mode does: a hash of
 * the next 4 bytes finds the last position that started with them, and a match is extended as
 * far as it goes. A block that does not get smaller is stored as it is.
 */
const DESCRIPTOR = [0x60, 0x40, 0x82];
const BLOCK_SIZE = 64 * 1024;
/** 4,096 entries, the reference library's default (LZ4_MEMORY_USAGE 14: 16 KiB of table). */
const HASH_BITS = 12;
/** The format's end-of-block rules: the last 5 bytes are literals, no match starts in the last 12. */
const LAST_LITERALS = 5;
const MATCH_START_LIMIT = 12;
/** The search steps faster over data that keeps not matching (1 more byte every 64 misses). */
const SKIP_TRIGGER = 6;

/** Hash table of the block being compressed: last position + 1 seen per 4-byte hash, 0 = none. */
const table = new Int32Array(1 << HASH_BITS);

const output = new GrowableBytes(64 * 1024);

export function encodeLz4Frame(input: Uint8Array): Buffer {
  output.reset();
  output.writeUint32(FRAME_MAGIC);
  for (const byte of DESCRIPTOR) output.writeByte(byte);
  for (let start = 0; start < input.length; start += BLOCK_SIZE) {
    const end = Math.min(input.length, start + BLOCK_SIZE);
    const sizeAt = output.length;
    output.writeUint32(0);
    compressBlock(input, start, end, output);
    const compressed = output.length - sizeAt - 4;
    if (compressed >= end - start) {
      output.truncate(sizeAt);
      output.writeUint32((STORED_BLOCK | (end - start)) >>> 0);
      output.append(input, start, end - start);
    } else {
      output.patchUint32(sizeAt, compressed);
    }
  }
  output.writeUint32(0); // EndMark
  return output.copyOut();
}

function compressBlock(input: Uint8Array, start: number, end: number, output: GrowableBytes): void {
  let anchor = start;
  if (end - start > MATCH_START_LIMIT) {
    table.fill(0);
    const lastMatchStart = end - MATCH_START_LIMIT;
    const matchEndLimit = end - LAST_LITERALS;
    let at = start;
    let misses = 1 << SKIP_TRIGGER;
    while (at <= lastMatchStart) {
      const sequence = readUint32(input, at);
      const hash = Math.imul(sequence, 2654435761) >>> (32 - HASH_BITS);
      const candidate = (table[hash] as number) - 1;
      table[hash] = at + 1;
      if (candidate < 0 || at - candidate > 0xffff || readUint32(input, candidate) !== sequence) {
        at += misses++ >> SKIP_TRIGGER;
        continue;
      }
      let length = MIN_MATCH;
      while (at + length < matchEndLimit && input[candidate + length] === input[at + length]) {
        length++;
      }
      writeSequence(input, anchor, at - anchor, at - candidate, length, output);
      at += length;
      anchor = at;
      misses = 1 << SKIP_TRIGGER;
    }
  }
  writeSequence(input, anchor, end - anchor, 0, 0, output);
}

/** Literals `input[from, from + literals)`, then a match of `length` at `offset` (0: none, the block's end). */
function writeSequence(
  input: Uint8Array,
  from: number,
  literals: number,
  offset: number,
  length: number,
  output: GrowableBytes,
): void {
  const matchCode = length === 0 ? 0 : length - MIN_MATCH;
  output.writeByte((Math.min(literals, 15) << 4) | Math.min(matchCode, 15));
  if (literals >= 15) writeLengthTail(literals - 15, output);
  output.append(input, from, literals);
  if (length === 0) return;
  output.writeByte(offset & 0xff);
  output.writeByte(offset >> 8);
  if (matchCode >= 15) writeLengthTail(matchCode - 15, output);
}

function writeLengthTail(rest: number, output: GrowableBytes): void {
  for (; rest >= 255; rest -= 255) output.writeByte(255);
  output.writeByte(rest);
}
