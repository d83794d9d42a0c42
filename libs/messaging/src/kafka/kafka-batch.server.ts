import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { type KafkaConfig } from '@kairos/config';
import { isTopicName, type TopicName } from '@kairos/contracts';
import {
  type Batch,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Offsets,
} from 'kafkajs';
import { BatchMerger, nestBatchHandler } from '../batch-merger';
import { type ConsumerAssignments } from '../consumer-assignments';
import { createKafka } from './kafka-client.factory';
import { type InboundBatch, type InboundMessage } from './inbound-message';
import { physicalGroupId, physicalTopic } from './topic-names';
import { OffsetCommitter, type PartitionOffset } from './offset-committer';
import { RetryBackoff } from './retry-backoff';
import { registerLz4Codec } from './lz4.codec';

export interface KafkaBatchServerOptions {
  readonly kafka: KafkaConfig;
  readonly groupId: string;
  /** Only these handler topics belong to this group (one process may host several groups). */
  readonly topics?: readonly TopicName[];
  /** Overrides KAFKA_CONSUMER_CONCURRENCY for this group; order within a partition holds. */
  readonly partitionsConsumedConcurrently?: number;
  /** Start a new group at the earliest offset so nothing produced before the first boot is missed. */
  readonly fromBeginning?: boolean;
  readonly retryBackoff?: RetryBackoff;
  /** Told whenever this member's partitions may change (see ConsumerAssignments). */
  readonly assignments?: ConsumerAssignments;
}

/**
 * A @nestjs/microservices transport that hands each handler whole partition batches, those of
 * one fetch merged into one call (BatchMerger).
 *
 * Delivery is at-least-once: offsets are committed only after the handler's promise resolves.
 * A failing batch pauses its partition, rewinds to the batch start and resumes after an
 * exponential backoff, so a transient outage (database down) delays but never skips records.
 * Records that can never succeed must be diverted by the handler (DLQ), not thrown.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer: Consumer | null = null;
  private committer: OffsetCommitter | null = null;
  private readonly backoff: RetryBackoff;
  /** One per handler topic (logical name). */
  private readonly mergers = new Map<string, BatchMerger>();

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    // Producers may compress with LZ4 whatever our own setting is; consumers must always read it.
    registerLz4Codec();
    this.backoff = options.retryBackoff ?? new RetryBackoff();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const patterns = [...this.getHandlers().keys()];
    const wanted = this.options.topics;
    const topics = patterns
      .filter(isTopicName)
      .filter((topic) => wanted === undefined || wanted.includes(topic));
    const unknown = patterns.filter((pattern) => !isTopicName(pattern));
    if (unknown.length > 0) {
      throw new Error(`@EventPattern must name a Kairos topic; unknown: ${unknown.join(', ')}`);
    }
    if (topics.length === 0) {
      this.logger.warn('no @EventPattern handlers registered; not joining a consumer group');
      return;
    }
    const { kafka, groupId } = this.options;
    const consumer = createKafka(kafka, `consumer-${groupId}`).consumer({
      // Environments sharing a cluster (KAFKA_TOPIC_PREFIX) must not share consumer groups.
      groupId: physicalGroupId(kafka.topicPrefix, groupId),
      sessionTimeout: kafka.sessionTimeoutMs,
      heartbeatInterval: Math.floor(kafka.sessionTimeoutMs / 10),
      allowAutoTopicCreation: false,
      // Batches are bounded so one poll never holds more than a few MB in memory.
      maxBytesPerPartition: 1_048_576,
      // Opt-in batching at the broker for low rates on a busy machine; see KAFKA_FETCH_MIN_BYTES.
      minBytes: kafka.fetchMinBytes,
      maxWaitTimeInMs: kafka.fetchMaxWaitMs,
    });
    this.consumer = consumer;
    const committer = new OffsetCommitter(
      (offsets) => consumer.commitOffsets([...offsets]),
      kafka.commitIntervalMs,
      (error) => this.logger.warn(`offset commit failed: ${describe(error)}`),
    );
    this.committer = committer;
    // Before the partitions move, so their next owner replays less. Best effort: kafkajs rejoins
    // at once, and a commit the broker sees after the rejoin is refused (and not retried).
    consumer.on(consumer.events.REBALANCING, () => void committer.flush());
    consumer.on(consumer.events.GROUP_JOIN, () => committer.forgetPending());
    const assignments = this.options.assignments;
    if (assignments !== undefined) {
      // A rebalance starting (partitions about to be revoked), the new assignment, or no
      // consumer any more: each may change which users this process owns.
      for (const event of [
        consumer.events.REBALANCING,
        consumer.events.GROUP_JOIN,
        consumer.events.STOP,
        consumer.events.CRASH,
      ]) {
        consumer.on(event, () => assignments.changed(groupId));
      }
    }
    const byPhysical = new Map(
      topics.map((topic) => [physicalTopic(kafka.topicPrefix, topic), topic]),
    );
    for (const topic of topics) {
      const handler = this.getHandlerByPattern(topic);
      if (handler === null) continue;
      const invoke = nestBatchHandler(handler, (result) => this.transformToObservable(result));
      this.mergers.set(topic, new BatchMerger(invoke, kafka.maxRecordsPerCall));
    }
    await consumer.connect();
    await consumer.subscribe({
      topics: [...byPhysical.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // kafkajs fetches the next round only when every batch of this one is done, so batches
      // waiting for a free slot add whole handler durations to freshness (measured: 12
      // partitions at 3 at a time put ~4 handler times between a record and its processing).
      partitionsConsumedConcurrently:
        this.options.partitionsConsumedConcurrently ?? kafka.consumerConcurrency,
      eachBatch: (payload) => this.processBatch(consumer, committer, byPhysical, payload),
    });
    this.logger.log(`group ${groupId} consuming ${[...byPhysical.keys()].join(', ')}`);
  }

  private async processBatch(
    consumer: Consumer,
    committer: OffsetCommitter,
    byPhysical: ReadonlyMap<string, string>,
    payload: EachBatchPayload,
  ): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const pattern = byPhysical.get(batch.topic);
    const merger = pattern === undefined ? undefined : this.mergers.get(pattern);
    if (pattern === undefined || merger === undefined) return;
    const inbound = toInboundBatch(pattern, batch);
    const partitionKey = `${batch.topic}:${batch.partition}`;
    // A slow batch (database under load) must not look like a dead consumer: keep heartbeating
    // while the handler works, or the group evicts us and the batch is processed twice.
    const heartbeats = setInterval(
      () => {
        payload
          .heartbeat()
          .catch((error: unknown) => this.logger.debug(`heartbeat failed: ${describe(error)}`));
      },
      Math.max(500, Math.floor(this.options.kafka.sessionTimeoutMs / 5)),
    );
    try {
      // A consumer catching up gets thousands of records per partition fetch. Handing them over
      // in steps, each committed (at most a commit interval later), bounds what a handler holds
      // at once, and a group eviction during a long batch costs the steps since the last
      // commit, not the whole batch again. Seen without steps: a recommender 100,000 snapshots
      // behind redid the same batches for minutes.
      const step = this.options.kafka.maxRecordsPerCall;
      for (let start = 0; start < inbound.messages.length; start += step) {
        if (!payload.isRunning() || payload.isStale()) return;
        const part = { ...inbound, messages: inbound.messages.slice(start, start + step) };
        const done = await this.handleStep(
          consumer,
          committer,
          payload,
          merger,
          part,
          partitionKey,
        );
        if (!done) return;
      }
      this.backoff.succeeded(partitionKey);
    } finally {
      clearInterval(heartbeats);
      // Stopping: kafkajs leaves the group once this batch returns, and a former member cannot
      // commit, so what the batch handled is committed now.
      if (!payload.isRunning()) await committer.flush(payloadCommit(payload));
    }
  }

  /**
   * Runs the handler on one step of a partition batch (with the other partitions' steps handed
   * over at the same time) and commits it. On failure, seeks back to the step's first record,
   * pauses the partition for a backoff and returns false.
   */
  private async handleStep(
    consumer: Consumer,
    committer: OffsetCommitter,
    payload: EachBatchPayload,
    merger: BatchMerger,
    part: InboundBatch,
    partitionKey: string,
  ): Promise<boolean> {
    const first = part.messages[0];
    const last = part.messages[part.messages.length - 1];
    if (first === undefined || last === undefined) return true;
    const { topic, partition } = payload.batch;
    try {
      await merger.submit(part);
      // Resolving moves kafkajs's fetch position; committing makes the progress durable.
      payload.resolveOffset(last.offset);
      await committer.handled(
        topic,
        partition,
        (BigInt(last.offset) + 1n).toString(),
        payload.isRunning() ? undefined : payloadCommit(payload),
      );
      return true;
    } catch (error) {
      const delayMs = this.backoff.failed(partitionKey);
      this.logger.warn(
        `batch ${partitionKey}@${first.offset}..${last.offset} failed, ` +
          `retrying in ${delayMs} ms without committing: ${describe(error)}`,
      );
      const resume = payload.pause();
      consumer.seek({ topic, partition, offset: first.offset });
      setTimeout(resume, delayMs).unref();
      return false;
    }
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    const committer = this.committer;
    this.committer = null;
    // What earlier batches handled; a batch still running commits its own as it stops.
    await committer?.flush();
    await consumer?.disconnect();
    committer?.close();
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit transport events; use its logs and metrics');
  }

  unwrap<T>(): T {
    if (this.consumer === null) throw new Error('KafkaBatchServer is not listening');
    return this.consumer as T;
  }
}

export function toInboundBatch(topic: string, batch: Batch): InboundBatch {
  return {
    topic,
    partitions: [batch.partition],
    messages: batch.messages.map((message) => toInboundMessage(batch, message)),
  };
}

function toInboundMessage(batch: Batch, message: KafkaMessage): InboundMessage {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    headers,
    timestamp: Number(message.timestamp),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Commits through the batch payload, which works while the consumer is stopping (until it leaves
 * the group after this batch); the consumer's own commitOffsets silently does nothing then.
 */
function payloadCommit(
  payload: EachBatchPayload,
): (offsets: readonly PartitionOffset[]) => Promise<void> {
  return (offsets) => payload.commitOffsetsIfNecessary(byTopic(offsets));
}

/** kafkajs's payload-level commit takes offsets grouped by topic. */
function byTopic(offsets: readonly PartitionOffset[]): Offsets {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({ partition, offset });
    topics.set(topic, partitions);
  }
  return { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) };
}
