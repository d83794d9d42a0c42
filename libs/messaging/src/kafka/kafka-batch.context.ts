import { BaseRpcContext } from '@nestjs/microservices';

type KafkaBatchContextArgs = [topic: string, partition: number, heartbeat: () => Promise<void>];

/** Available to handlers through @Ctx(): long batches should call heartbeat() between steps. */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  heartbeat(): Promise<void> {
    return this.args[2]();
  }
}
