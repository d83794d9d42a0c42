import { type TopicName } from '@kairos/contracts';
import { type InboundBatch } from '../kafka/inbound-message';

export type BroadcastHandler = (batch: InboundBatch) => Promise<void> | void;

export interface BroadcastSubscription {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Port: readers of a whole (compacted) topic on every replica, from the beginning at each start,
 * without committed offsets (catalog, replicated embedding rows). A failing handler is retried
 * from the same position, never skipped.
 */
export abstract class BroadcastConsumers {
  abstract create(topic: TopicName, handler: BroadcastHandler): BroadcastSubscription;
}
