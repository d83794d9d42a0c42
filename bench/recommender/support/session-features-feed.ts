import {
  RecordHeader,
  SCHEMA_VERSION,
  type SessionFeaturesMessage,
  Topic,
} from '@kairos/contracts';
import { type KairosConfig } from '@kairos/config';
import {
  createKafka,
  JavaCompatiblePartitioner,
  physicalTopic,
  registerLz4Codec,
} from '@kairos/messaging';
import { CompressionTypes, type Producer } from 'kafkajs';

const BASE_TIME = Date.parse('2026-11-22T00:00:00Z');
const EVENT_TYPES = ['view', 'view', 'click', 'add_to_cart'] as const;

/**
 * A user's `session-features` snapshot in the exact shape the feature service publishes
 * (apps/feature/src/sessions/session-features.ts): a window of `windowLength` events over the
 * model's items, a profile summary, provenance. `lastEventId` is what GET reports as asOfEventId.
 */
export function sessionFeaturesFor(
  userIndex: number,
  vocabulary: readonly string[],
  windowLength: number,
): SessionFeaturesMessage {
  const userId = `bench-user-${userIndex}`;
  const startedAt = BASE_TIME + userIndex * 1_000;
  const events = Array.from({ length: windowLength }, (_, i) => ({
    itemId: vocabulary[(userIndex * 7_919 + i * 104_729) % vocabulary.length] ?? 'item-0',
    type: EVENT_TYPES[i % EVENT_TYPES.length] ?? 'view',
    timestamp: startedAt + i * 10,
  }));
  const lastEventAt = events.at(-1)?.timestamp ?? startedAt;
  const countsByType: Partial<Record<(typeof EVENT_TYPES)[number], number>> = {};
  for (const event of events) countsByType[event.type] = (countsByType[event.type] ?? 0) + 1;
  return {
    userId,
    window: {
      sessionId: `${userId}-s1`,
      startedAt,
      lastEventAt,
      events,
      countsByType,
      eventCount: events.length,
      distinctItems: new Set(events.map((event) => event.itemId)).size,
    },
    profile: {
      totalsByType: countsByType,
      totalEvents: events.length,
      sessionCount: 1,
      topItems: events.slice(0, 5).map((event, i) => ({ key: event.itemId, score: 5 - i })),
      topCategories: [],
    },
    lastEventId: `${userId}-e${windowLength}`,
    eventTime: lastEventAt,
    processedAt: Date.now(),
  };
}

/** Publishes snapshots to the scope's `session-features` topic as the feature service does. */
export class SessionFeaturesFeed {
  private readonly producer: Producer;

  constructor(private readonly config: KairosConfig) {
    registerLz4Codec();
    this.producer = createKafka(config.kafka, 'bench-session-features').producer({
      createPartitioner: JavaCompatiblePartitioner,
      idempotent: true,
      maxInFlightRequests: 5,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async publish(messages: readonly SessionFeaturesMessage[], chunkSize = 2_000): Promise<void> {
    const topic = physicalTopic(this.config.kafka.topicPrefix, Topic.SessionFeatures);
    for (let start = 0; start < messages.length; start += chunkSize) {
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.LZ4,
        messages: messages.slice(start, start + chunkSize).map((message) => ({
          key: message.userId,
          value: JSON.stringify(message),
          headers: {
            [RecordHeader.EventId]: message.lastEventId ?? '',
            [RecordHeader.SchemaVersion]: SCHEMA_VERSION,
            [RecordHeader.ContentType]: 'application/json',
          },
        })),
      });
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
