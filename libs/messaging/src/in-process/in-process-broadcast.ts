import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { traceBatch } from '@kairos/telemetry';
import {
  BroadcastConsumers,
  type BroadcastHandler,
  type BroadcastSubscription,
} from '../ports/broadcast-consumers';
import { InProcessGroupConsumer } from './group-consumer';
import { InProcessLog } from './in-process-log';
import { toInboundBatch } from './record-mapping';

/** Broadcast readers on the in-process log: private, in-memory positions from the log start. */
@Injectable()
export class InProcessBroadcastConsumers extends BroadcastConsumers {
  constructor(private readonly log: InProcessLog) {
    super();
  }

  create(topic: TopicName, handler: BroadcastHandler): BroadcastSubscription {
    const consumer = new InProcessGroupConsumer(this.log, {
      groupId: `broadcast-${topic}-${randomUUID()}`,
      topics: [topic],
      ephemeral: true,
      handler: async (batch) => {
        const inbound = toInboundBatch(batch);
        await traceBatch(topic, inbound.messages, async () => handler(inbound));
      },
    });
    return {
      start: () => {
        consumer.start();
        return Promise.resolve();
      },
      stop: () => consumer.stop(),
    };
  }
}
