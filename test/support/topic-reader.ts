import { type KafkaConfig } from '@kairos/config';
import { createKafka } from '@kairos/messaging';
import { type KafkaMessage } from 'kafkajs';
import { eventually } from './infra';

/** A record to write straight to a topic, bypassing our publisher (poison pills, fixtures). */
export interface RawRecord {
  readonly key: string;
  readonly value: string | null;
  readonly headers?: Record<string, string>;
}

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning with a plain kafkajs consumer (not our transport), so tests
 * check what actually reached the broker. Stops when `done` holds or the timeout passes.
 */
export async function readTopic(
  kafka: KafkaConfig,
  physicalTopic: string,
  done: (records: readonly TopicRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<TopicRecord[]> {
  const consumer = createKafka(kafka, 'test-reader').consumer({
    groupId: `reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  const records: TopicRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [physicalTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        records.push(toRecord(partition, message));
        return Promise.resolve();
      },
    });
    await eventually(() => (done(records) ? true : undefined), {
      timeoutMs,
      what: `records on ${physicalTopic}`,
    }).catch(() => undefined);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function toRecord(partition: number, message: KafkaMessage): TopicRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined)
      headers[name] = (Array.isArray(value) ? value.join(',') : value).toString();
  }
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}
