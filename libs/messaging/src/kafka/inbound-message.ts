/** A consumed record, with transport details kept for DLQ headers and tracing. */
export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Header values decoded as UTF-8; trace context (traceparent, tracestate, baggage) is here. */
  readonly headers: Readonly<Record<string, string>>;
  /** Broker/producer timestamp, epoch milliseconds. */
  readonly timestamp: number;
}

/**
 * What an @EventPattern handler receives: the records of one topic consumed together, in offset
 * order within each partition. Partition batches fetched together may arrive as one (see
 * BatchMerger), so a batch may span partitions; a user's records are always on one partition.
 * Handlers process the whole batch (coalescing per user, one bulk write); the offsets are
 * committed only after the handler's returned promise resolves.
 */
export interface InboundBatch {
  /** Logical topic name (without prefix), equal to the handler's pattern. */
  readonly topic: string;
  /** The partitions the records come from. */
  readonly partitions: readonly number[];
  readonly messages: readonly InboundMessage[];
}
