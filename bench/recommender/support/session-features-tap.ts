import { type KairosConfig } from '@kairos/config';
import { RecordHeader, Topic } from '@kairos/contracts';
import { createKafka, physicalTopic } from '@kairos/messaging';
import { type Consumer } from 'kafkajs';

/**
 * A side reader of `session-features` (its own group, so the recommender's is untouched): when
 * each event's snapshot arrived, keyed by the snapshot's event id header. Splits freshness into
 * POST → feature published and feature published → recommender computed.
 */
export class SessionFeaturesTap {
  private readonly consumer: Consumer;
  private readonly arrivedAt = new Map<string, number>();

  constructor(private readonly config: KairosConfig) {
    this.consumer = createKafka(config.kafka, 'bench-freshness-tap').consumer({
      groupId: `${config.kafka.topicPrefix}bench-freshness-tap`,
      maxBytesPerPartition: 1_048_576,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [physicalTopic(this.config.kafka.topicPrefix, Topic.SessionFeatures)],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const eventId = message.headers?.[RecordHeader.EventId]?.toString();
          if (eventId !== undefined && !this.arrivedAt.has(eventId))
            this.arrivedAt.set(eventId, now);
        }
        await Promise.resolve();
      },
    });
  }

  /** Epoch ms the snapshot as of `eventId` was read, if one was published for it. */
  arrival(eventId: string): number | undefined {
    return this.arrivedAt.get(eventId);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
