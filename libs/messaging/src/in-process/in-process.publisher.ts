import { Injectable } from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { tracePublish } from '@kairos/telemetry';
import { MessagePublisher, type OutboundMessage } from '../ports/message-publisher';
import { InProcessLog } from './in-process-log';
import { toAppendInput } from './record-mapping';

/**
 * The publisher port on the in-process log. The append is written to the OS (and fsynced when
 * the fsync interval is 0) before the promise resolves: that is the acknowledgement.
 */
@Injectable()
export class InProcessPublisher extends MessagePublisher {
  constructor(private readonly log: InProcessLog) {
    super();
  }

  /** Each record carries the trace context of its `publish <topic>` span, as on Kafka. */
  publish(topic: TopicName, messages: readonly OutboundMessage[]): Promise<void> {
    return tracePublish(topic, messages, (traced) => {
      try {
        this.log.append(topic, traced.map(toAppendInput));
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}
