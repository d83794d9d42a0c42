import { Logger } from '@nestjs/common';
import { type KairosConfig } from '@kairos/config';
import { type TopicName } from '@kairos/contracts';
import { traceBatch } from '@kairos/telemetry';
import { type Consumer } from 'kafkajs';
import { createKafka } from './kafka-client.factory';
import { toInboundBatch } from './kafka-batch.server';
import { RetryBackoff } from './retry-backoff';
import { physicalGroupId, physicalTopic } from './topic-names';
import { type BroadcastHandler, type BroadcastSubscription } from '../ports/broadcast-consumers';

/**
 * Reads a compacted topic in full on every replica (catalog items, replicated embedding rows):
 * unlike the work-sharing `KafkaBatchServer`, each instance has a consumer group of its own and
 * starts from the beginning, so its in-memory view is rebuilt from the log at every start. No
 * offsets matter across restarts, so none are committed. A failing handler is retried with
 * backoff from the same position (pause + seek), never skipped.
 */
export class BroadcastConsumer implements BroadcastSubscription {
  private readonly logger: Logger;
  private consumer: Consumer | null = null;

  constructor(
    private readonly config: KairosConfig,
    private readonly topic: TopicName,
    private readonly handler: BroadcastHandler,
  ) {
    this.logger = new Logger(`broadcast:${topic}`);
  }

  async start(): Promise<void> {
    const { kafka: kafkaConfig, app, instanceId } = this.config;
    const kafka = createKafka(kafkaConfig, `${this.topic}-broadcast`);
    const groupId = physicalGroupId(kafkaConfig.topicPrefix, `${app}-${this.topic}-${instanceId}`);
    const consumer = kafka.consumer({ groupId, sessionTimeout: kafkaConfig.sessionTimeoutMs });
    const topic = physicalTopic(kafkaConfig.topicPrefix, this.topic);
    const backoff = new RetryBackoff();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        try {
          const inbound = toInboundBatch(this.topic, batch);
          await traceBatch(this.topic, inbound.messages, async () => this.handler(inbound));
          backoff.succeeded(`${batch.partition}`);
          const last = batch.messages.at(-1);
          if (last !== undefined) payload.resolveOffset(last.offset);
          await payload.heartbeat();
        } catch (error) {
          const delayMs = backoff.failed(`${batch.partition}`);
          this.logger.warn(
            `${topic}:${batch.partition} failed, retrying in ${delayMs} ms: ${String(error)}`,
          );
          consumer.pause([{ topic, partitions: [batch.partition] }]);
          consumer.seek({ topic, partition: batch.partition, offset: batch.firstOffset() ?? '0' });
          setTimeout(() => consumer.resume([{ topic, partitions: [batch.partition] }]), delayMs);
        }
      },
    });
    this.consumer = consumer;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
