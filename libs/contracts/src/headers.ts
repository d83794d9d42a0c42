/** Kafka record headers Kairos writes besides the W3C trace context. */
export const RecordHeader = {
  EventId: 'kairos-event-id',
  SchemaVersion: 'kairos-schema-version',
  ContentType: 'content-type',
} as const;

/** Bumped when a message shape changes incompatibly; consumers route unknown versions to the DLQ. */
export const SCHEMA_VERSION = '1';
