import { type KairosConfig } from '@kairos/config';
import { RecordHeader, Topic } from '@kairos/contracts';
import { createKafka, physicalTopic } from '@kairos/messaging';
import { type Consumer } from 'kafkajs';

/**
 * A side reader of `session-features` (its own group, so the recommender's is untouched): when
 * each event's snapshot was published, keyed by the snapshot's event id header. Splits freshness
 * into POST → feature published and feature published → recommender computed.
 *
 * The time is the record's CreateTime, set by the feature's producer (same machine, same clock),
 * not when this reader saw it: the reader shares the bench process with the load generator and
 * the GET probe, and its reads lagged by hundreds of ms (measured: POST → read p50 650 ms while
 * POST → CreateTime was 90 ms in the same run), which made the feature stage look slow.
 */
export class SessionFeaturesTap {
  private readonly consumer: Consumer;
  private readonly published = new Map<string, number>();

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
        for (const message of batch.messages) {
          const eventId = message.headers?.[RecordHeader.EventId]?.toString();
          if (eventId !== undefined && !this.published.has(eventId))
            this.published.set(eventId, Number(message.timestamp));
        }
        await Promise.resolve();
      },
    });
  }

  /** Epoch ms the snapshot as of `eventId` was published, if one was. */
  publishedAt(eventId: string): number | undefined {
    return this.published.get(eventId);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
