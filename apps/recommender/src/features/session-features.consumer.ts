import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topic } from '@kairos/contracts';
import { type InboundBatch } from '@kairos/messaging';
import { RecommendationUpdateService } from './recommendation-update.service';

/** Thin transport adapter: a partition batch of `session-features` in, committed when it resolves. */
@Controller()
export class SessionFeaturesConsumer {
  constructor(private readonly updates: RecommendationUpdateService) {}

  @EventPattern(Topic.SessionFeatures)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.updates.process(batch);
  }
}
