import { Injectable } from '@nestjs/common';
import { EventLogReadiness } from '../ports/event-log-admin';
import { TopicAdminService } from './topic-admin.service';

@Injectable()
export class KafkaReadiness extends EventLogReadiness {
  readonly name = 'kafka';

  constructor(private readonly admin: TopicAdminService) {
    super();
  }

  check(): Promise<void> {
    return this.admin.ping();
  }
}
