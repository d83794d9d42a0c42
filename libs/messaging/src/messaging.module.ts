import { Global, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DeadLetterPublisher } from './kafka/dead-letter.publisher';
import { KafkaPublisher } from './kafka/kafka.publisher';
import { KafkaReadiness } from './kafka/kafka.readiness';
import { TopicAdminService } from './kafka/topic-admin.service';

/** Kafka producer, topic administration and readiness for an app. Needs ConfigModule. */
@Global()
@Module({
  providers: [KafkaPublisher, DeadLetterPublisher, TopicAdminService, KafkaReadiness],
  exports: [KafkaPublisher, DeadLetterPublisher, TopicAdminService, KafkaReadiness],
})
export class MessagingModule implements OnApplicationBootstrap {
  constructor(private readonly topics: TopicAdminService) {}

  /** Every app creates missing topics at boot, so any of them may be started first. */
  async onApplicationBootstrap(): Promise<void> {
    await this.topics.ensureTopics();
  }
}
