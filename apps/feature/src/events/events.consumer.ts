import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topic } from '@kairos/contracts';
import { type InboundBatch } from '@kairos/messaging';
import { SessionUpdateService } from './session-update.service';

/** Thin transport adapter: a partition batch of `events` in, offsets committed when it resolves. */
@Controller()
export class EventsConsumer {
  constructor(private readonly sessions: SessionUpdateService) {}

  @EventPattern(Topic.Events)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.sessions.process(batch);
  }
}
