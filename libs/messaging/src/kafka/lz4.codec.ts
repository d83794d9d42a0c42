import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compressFrame, decompressFrame } from 'lz4-napi';

let registered = false;

/**
 * kafkajs ships only gzip; LZ4 (Kafka's standard LZ4 frame format) comes from lz4-napi, a
 * maintained native binding. Registering is global to kafkajs, so it happens once per process.
 */
export function registerLz4Codec(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => compressFrame(encoder.buffer),
    decompress: (buffer: Buffer) => decompressFrame(buffer),
  });
}
