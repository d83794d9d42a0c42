import { type TopicName } from '@kairos/contracts';

export interface OutboundMessage {
  /** Partition key (userId for events, itemId for catalog rows); null only for keyless topics. */
  readonly key: string | null;
  /** Serialised as JSON unless already a Buffer; null publishes a tombstone on compacted topics. */
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Port: appends records to a topic of the event log (Kafka, or the in-process log in embedded
 * mode). `publish` resolves only once the log acknowledged the records durably enough to call
 * them accepted; it rejects otherwise and nothing may be reported as accepted.
 */
export abstract class MessagePublisher {
  abstract publish(topic: TopicName, messages: readonly OutboundMessage[]): Promise<void>;
}

export function encodeValue(value: unknown): Buffer | null {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(JSON.stringify(value), 'utf8');
}
