import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { decodeLz4Frames } from './lz4-frame.decoder';
import { encodeLz4Frame } from './lz4-frame.encoder';

let registered = false;

/**
 * kafkajs ships only gzip; LZ4 (Kafka's standard LZ4 frame format) is registered here, with our
 * own encoder and decoder (lz4-frame.*.ts). The native binding used before (lz4-napi) allocated
 * its output from its own mimalloc heap, which kept what the apps freed: a recommender that had
 * consumed 100,000 users' snapshots held 155 MiB there at rest, and a loop of compressions held
 * up to 1 GiB. Registering is global to kafkajs, so it happens once per process.
 */
export function registerLz4Codec(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => Promise.resolve(encodeLz4Frame(encoder.buffer)),
    decompress: (buffer: Buffer) => Promise.resolve(decodeLz4Frames(buffer)),
  });
}
