import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { EventLogAdmin, EventLogReadiness } from '../ports/event-log-admin';
import { InProcessLog } from './in-process-log';

/** Topics of the in-process log exist from the moment it is open; lag comes from its offsets. */
@Injectable()
export class InProcessLogAdmin extends EventLogAdmin implements OnApplicationShutdown {
  constructor(private readonly log: InProcessLog) {
    super();
  }

  ensureTopics(): Promise<void> {
    return Promise.resolve();
  }

  lag(groupId: string, topic: TopicName): Promise<Map<number, number>> {
    return Promise.resolve(this.log.lag(groupId, topic));
  }

  /** Last of the shutdown hooks that use it: flushes, fsyncs and releases the directory lock. */
  onApplicationShutdown(): void {
    this.log.close();
  }
}

@Injectable()
export class InProcessLogReadiness extends EventLogReadiness {
  readonly name = 'event-log';

  constructor(private readonly log: InProcessLog) {
    super();
  }

  check(): Promise<void> {
    return this.log.isOpen
      ? Promise.resolve()
      : Promise.reject(new Error('the in-process log is closed'));
  }
}
