/** Constants and word reading of the LZ4 frame and block formats (lz4_Frame_format.md, lz4_Block_format.md). */
export const FRAME_MAGIC = 0x184d2204;
/** High bit of a block's size word: the block is stored uncompressed. */
export const STORED_BLOCK = 0x8000_0000;
/** Matches are at least 4 bytes; a token's match length counts from there. */
export const MIN_MATCH = 4;

/** The little-endian 32-bit word at `at` (frames store their words little-endian). */
export function readUint32(input: Uint8Array, at: number): number {
  return (
    ((input[at] as number) |
      ((input[at + 1] as number) << 8) |
      ((input[at + 2] as number) << 16) |
      ((input[at + 3] as number) << 24)) >>>
    0
  );
}
