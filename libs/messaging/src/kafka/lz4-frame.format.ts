/** Constants of the LZ4 frame and block formats (lz4_Frame_format.md, lz4_Block_format.md). */
export const FRAME_MAGIC = 0x184d2204;
/** High bit of a block's size word: the block is stored uncompressed. */
export const STORED_BLOCK = 0x8000_0000;
/** Matches are at least 4 bytes; a token's match length counts from there. */
export const MIN_MATCH = 4;
