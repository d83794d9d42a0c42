import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isTopicName, type TopicName } from '@kairos/contracts';
import { handleTraced, nestBatchHandler } from '../batch-merger';
import { RetryBackoff } from '../kafka/retry-backoff';
import { type DeliveredBatch, InProcessGroupConsumer } from './group-consumer';
import { type InProcessLog } from './in-process-log';
import { toInboundBatch } from './record-mapping';

export interface InProcessBatchServerOptions {
  readonly log: InProcessLog;
  readonly groupId: string;
  /** Only these handler topics belong to this group (one process may host several groups). */
  readonly topics?: readonly TopicName[];
  readonly maxBatchRecords?: number;
  readonly retryBackoff?: RetryBackoff;
}

/**
 * The in-process counterpart of KafkaBatchServer: the same @EventPattern handlers receive whole
 * partition batches (InboundBatch, KafkaBatchContext), offsets are committed only after the
 * handler's promise resolves, and a failed batch is redelivered after a backoff.
 */
export class InProcessBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(InProcessBatchServer.name);
  private consumer: InProcessGroupConsumer | null = null;

  constructor(private readonly options: InProcessBatchServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private start(): void {
    const patterns = [...this.getHandlers().keys()];
    const unknown = patterns.filter((pattern) => !isTopicName(pattern));
    if (unknown.length > 0) {
      throw new Error(`@EventPattern must name a Kairos topic; unknown: ${unknown.join(', ')}`);
    }
    const wanted = this.options.topics;
    const topics = patterns
      .filter(isTopicName)
      .filter((topic) => wanted === undefined || wanted.includes(topic));
    if (topics.length === 0) {
      this.logger.warn(`group ${this.options.groupId}: no @EventPattern handlers to consume for`);
      return;
    }
    this.consumer = new InProcessGroupConsumer(this.options.log, {
      groupId: this.options.groupId,
      topics,
      maxBatchRecords: this.options.maxBatchRecords,
      backoff: this.options.retryBackoff,
      handler: (batch) => this.handle(batch),
    });
    this.consumer.start();
    this.logger.log(`group ${this.options.groupId} consuming ${topics.join(', ')} (in-process)`);
  }

  /**
   * Unlike on Kafka, partition batches are not merged (see BatchMerger): each partition gets its
   * next batch as soon as its previous one is done.
   */
  private async handle(batch: DeliveredBatch): Promise<void> {
    const handler = this.getHandlerByPattern(batch.topic);
    if (handler === null) return;
    const invoke = nestBatchHandler(handler, (result) => this.transformToObservable(result));
    await handleTraced(invoke, toInboundBatch(batch));
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
  }

  on(): never {
    throw new Error(
      'InProcessBatchServer does not emit transport events; use its logs and metrics',
    );
  }

  unwrap<T>(): T {
    if (this.consumer === null) throw new Error('InProcessBatchServer is not listening');
    return this.consumer as T;
  }
}
