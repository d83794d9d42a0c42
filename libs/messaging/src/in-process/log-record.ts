import { crc32 } from 'node:zlib';

/** One record of the in-process log, as appended and as handed to consumers. */
export interface LogRecord {
  readonly offset: number;
  /** Set once, at append: epoch milliseconds (Kafka's CreateTime). */
  readonly timestamp: number;
  readonly key: string | null;
  /** null = tombstone on a compacted topic. */
  readonly value: Buffer | null;
  /** Plain string map; trace context (traceparent, tracestate, baggage) travels here. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * On-disk frame: [u32 payload length][u32 crc32(payload)][payload]. The payload holds the offset,
 * timestamp, key, value and headers; a frame whose length or checksum does not match is a torn
 * write (the process died mid-append) and ends the readable log.
 */
const FRAME_HEADER_BYTES = 8;
const NULL_LENGTH = 0xffffffff;

export function encodeFrame(record: LogRecord): Buffer {
  const key = record.key === null ? null : Buffer.from(record.key, 'utf8');
  const headers = Buffer.from(JSON.stringify(record.headers), 'utf8');
  const payloadLength =
    8 + 8 + 4 + (key?.length ?? 0) + 4 + (record.value?.length ?? 0) + 4 + headers.length;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadLength);
  let at = FRAME_HEADER_BYTES;
  at = frame.writeBigInt64BE(BigInt(record.offset), at);
  at = frame.writeDoubleBE(record.timestamp, at);
  at = writeBytes(frame, at, key);
  at = writeBytes(frame, at, record.value);
  writeBytes(frame, at, headers);
  frame.writeUInt32BE(payloadLength, 0);
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

function writeBytes(target: Buffer, at: number, bytes: Buffer | null): number {
  if (bytes === null) return target.writeUInt32BE(NULL_LENGTH, at);
  const next = target.writeUInt32BE(bytes.length, at);
  bytes.copy(target, next);
  return next + bytes.length;
}

export interface DecodedFrames {
  readonly records: LogRecord[];
  /** Bytes of whole, valid frames; anything after it is a torn tail to truncate. */
  readonly validBytes: number;
}

/** Decodes frames until the end or the first incomplete or corrupt one. */
export function decodeFrames(data: Buffer): DecodedFrames {
  const records: LogRecord[] = [];
  let at = 0;
  while (at + FRAME_HEADER_BYTES <= data.length) {
    const length = data.readUInt32BE(at);
    const end = at + FRAME_HEADER_BYTES + length;
    if (end > data.length) break;
    const payload = data.subarray(at + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32BE(at + 4)) break;
    const record = decodePayload(payload);
    if (record === null) break;
    records.push(record);
    at = end;
  }
  return { records, validBytes: at };
}

function decodePayload(payload: Buffer): LogRecord | null {
  try {
    const offset = Number(payload.readBigInt64BE(0));
    const timestamp = payload.readDoubleBE(8);
    const key = readBytes(payload, 16);
    const value = readBytes(payload, key.next);
    const headers = readBytes(payload, value.next);
    if (headers.bytes === null || headers.next !== payload.length) return null;
    return {
      offset,
      timestamp,
      key: key.bytes === null ? null : key.bytes.toString('utf8'),
      // A copy: the file buffer is dropped after recovery, the record lives on.
      value: value.bytes === null ? null : Buffer.from(value.bytes),
      headers: JSON.parse(headers.bytes.toString('utf8')) as Record<string, string>,
    };
  } catch {
    return null;
  }
}

function readBytes(payload: Buffer, at: number): { bytes: Buffer | null; next: number } {
  const length = payload.readUInt32BE(at);
  if (length === NULL_LENGTH) return { bytes: null, next: at + 4 };
  const end = at + 4 + length;
  if (end > payload.length) throw new RangeError('field overruns the frame');
  return { bytes: payload.subarray(at + 4, end), next: end };
}
