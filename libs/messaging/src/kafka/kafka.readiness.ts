import { Injectable } from '@nestjs/common';
import { type ReadinessCheck } from '@kairos/health';
import { TopicAdminService } from './topic-admin.service';

@Injectable()
export class KafkaReadiness implements ReadinessCheck {
  readonly name = 'kafka';

  constructor(private readonly admin: TopicAdminService) {}

  check(): Promise<void> {
    return this.admin.ping();
  }
}
