import { Injectable } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { type TopicName } from '@kairos/contracts';
import {
  BroadcastConsumers,
  type BroadcastHandler,
  type BroadcastSubscription,
} from '../ports/broadcast-consumers';
import { BroadcastConsumer } from './broadcast.consumer';

@Injectable()
export class KafkaBroadcastConsumers extends BroadcastConsumers {
  constructor(@InjectConfig() private readonly config: KairosConfig) {
    super();
  }

  create(topic: TopicName, handler: BroadcastHandler): BroadcastSubscription {
    return new BroadcastConsumer(this.config, topic, handler);
  }
}
