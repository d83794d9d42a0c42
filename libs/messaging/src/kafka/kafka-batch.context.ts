import { BaseRpcContext } from '@nestjs/microservices';

type KafkaBatchContextArgs = [topic: string, partitions: readonly number[]];

/**
 * Available to handlers through @Ctx(). No heartbeat here: the transport heartbeats by itself
 * for as long as a handler runs.
 */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  getTopic(): string {
    return this.args[0];
  }

  /** The partitions the batch's records come from (see InboundBatch). */
  getPartitions(): readonly number[] {
    return this.args[1];
  }
}
