import { GrowableBytes } from './growable-bytes';
import { FRAME_MAGIC, MIN_MATCH, readUint32, STORED_BLOCK } from './lz4-frame.format';

/**
 * Decoder of the LZ4 frame format (lz4_Frame_format.md, version 1.6), the container Kafka's LZ4
 * compression uses. Its output is an ordinary Buffer, which the collector accounts for and frees
 * (see lz4.codec.ts for what the native binding used before did instead).
 *
 * Handles independent and linked blocks, stored (uncompressed) blocks, block and content
 * checksum fields (skipped, not verified: Kafka's record batch CRC already covers the bytes),
 * the content-size field, several concatenated frames and skippable frames. Dictionary frames
 * are refused (Kafka never writes them).
 */

/** Skippable frames: magic 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_MAX_SIZES: Readonly<Record<number, number>> = {
  4: 64 * 1024,
  5: 256 * 1024,
  6: 1024 * 1024,
  7: 4 * 1024 * 1024,
};

export class Lz4FrameError extends Error {
  override readonly name = 'Lz4FrameError';
}

const output = new GrowableBytes(64 * 1024);

/** The decompressed content of every frame in `input`, in order. */
export function decodeLz4Frames(input: Uint8Array): Buffer {
  output.reset();
  let at = 0;
  while (at < input.length) {
    if (input.length - at < 4) throw new Lz4FrameError(`${input.length - at} stray bytes at ${at}`);
    const magic = readUint32(input, at);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + readUint32(input, need(input, at + 4, 4));
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      throw new Lz4FrameError(`not an LZ4 frame at byte ${at} (magic 0x${magic.toString(16)})`);
    }
    at = decodeFrame(input, at + 4, output);
  }
  return output.copyOut();
}

/** Decodes one frame whose descriptor starts at `at`; returns where the frame ends. */
function decodeFrame(input: Uint8Array, at: number, output: GrowableBytes): number {
  const flags = input[need(input, at, 2)] as number;
  const blockDescriptor = input[at + 1] as number;
  if (flags >> 6 !== 1) throw new Lz4FrameError(`unsupported frame version ${flags >> 6}`);
  if ((flags & 1) !== 0) throw new Lz4FrameError('frames with a dictionary are not supported');
  const blockMaxSize = BLOCK_MAX_SIZES[(blockDescriptor >> 4) & 7];
  if (blockMaxSize === undefined) {
    throw new Lz4FrameError(`invalid block maximum size code ${(blockDescriptor >> 4) & 7}`);
  }
  const hasBlockChecksums = (flags & 0x10) !== 0;
  const hasContentSize = (flags & 0x08) !== 0;
  const hasContentChecksum = (flags & 0x04) !== 0;
  // Descriptor: FLG, BD, the optional content size, then the header checksum byte.
  at += 2 + (hasContentSize ? 8 : 0) + 1;

  const frameStart = output.length;
  for (;;) {
    const word = readUint32(input, need(input, at, 4));
    at += 4;
    if (word === 0) break; // EndMark
    const size = (word & ~STORED_BLOCK) >>> 0;
    if (size > blockMaxSize) {
      throw new Lz4FrameError(`block of ${size} bytes exceeds the frame's ${blockMaxSize}`);
    }
    need(input, at, size);
    if ((word & STORED_BLOCK) !== 0) output.append(input, at, size);
    // Linked blocks may copy from earlier blocks of the frame; independent ones never do,
    // so one bound serves both.
    else decodeBlock(input, at, at + size, output, frameStart);
    at += size + (hasBlockChecksums ? 4 : 0);
  }
  return need(input, at, hasContentChecksum ? 4 : 0) + (hasContentChecksum ? 4 : 0);
}

/** Decodes the LZ4 block `input[from, to)` onto the end of `output`. */
function decodeBlock(
  input: Uint8Array,
  from: number,
  to: number,
  output: GrowableBytes,
  windowStart: number,
): void {
  const block = new BlockCursor(input, from, to);
  while (block.at < to) {
    const token = input[block.at++] as number;
    const literals = block.length(token >> 4, 'literal length');
    if (block.at + literals > to) throw new Lz4FrameError('literals run past the end of a block');
    output.append(input, block.at, literals);
    block.at += literals;
    if (block.at === to) return; // the last sequence has literals only
    if (block.at + 2 > to) throw new Lz4FrameError('truncated match offset');
    const offset = (input[block.at] as number) | ((input[block.at + 1] as number) << 8);
    block.at += 2;
    const matchLength = block.length(token & 15, 'match length') + MIN_MATCH;
    if (offset === 0 || output.length - offset < windowStart) {
      throw new Lz4FrameError(`match offset ${offset} points outside the decoded data`);
    }
    output.copyMatch(offset, matchLength);
  }
}

/** Read position in a block. */
class BlockCursor {
  constructor(
    private readonly input: Uint8Array,
    public at: number,
    private readonly to: number,
  ) {}

  /** A token's 4-bit length; 15 means more follows, in bytes of 255 ended by a smaller one. */
  length(fromToken: number, what: string): number {
    let length = fromToken;
    if (length < 15) return length;
    let extra: number;
    do {
      if (this.at >= this.to) throw new Lz4FrameError(`truncated ${what}`);
      extra = this.input[this.at++] as number;
      length += extra;
    } while (extra === 255);
    return length;
  }
}

/** `at`, after checking `length` bytes are there from it. */
function need(input: Uint8Array, at: number, length: number): number {
  if (at + length > input.length) {
    throw new Lz4FrameError(`truncated frame: ${length} bytes needed at ${at} of ${input.length}`);
  }
  return at;
}
