import {
  type DynamicModule,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { KAIROS_CONFIG, type KairosConfig } from '@kairos/config';
import { ConsumerAssignments } from './consumer-assignments';
import { InProcessLogAdmin, InProcessLogReadiness } from './in-process/in-process-admin';
import { InProcessBroadcastConsumers } from './in-process/in-process-broadcast';
import { InProcessLog } from './in-process/in-process-log';
import { InProcessPublisher } from './in-process/in-process.publisher';
import { DeadLetterPublisher } from './kafka/dead-letter.publisher';
import { KafkaBroadcastConsumers } from './kafka/kafka-broadcast-consumers';
import { KafkaPublisher } from './kafka/kafka.publisher';
import { KafkaReadiness } from './kafka/kafka.readiness';
import { TopicAdminService } from './kafka/topic-admin.service';
import { BroadcastConsumers } from './ports/broadcast-consumers';
import { EventLogAdmin, EventLogReadiness } from './ports/event-log-admin';
import { MessagePublisher } from './ports/message-publisher';

/** Every app creates missing topics at boot, so any of them may be started first. */
@Injectable()
class EnsureTopicsAtBoot implements OnApplicationBootstrap {
  constructor(private readonly admin: EventLogAdmin) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.admin.ensureTopics();
  }
}

const PORTS = [
  MessagePublisher,
  EventLogAdmin,
  EventLogReadiness,
  BroadcastConsumers,
  DeadLetterPublisher,
];

/**
 * The event log for an app, behind its ports (MessagePublisher, EventLogAdmin,
 * EventLogReadiness, BroadcastConsumers): Kafka in distributed mode, the durable in-process log
 * (opened on the data directory) in embedded mode. Global, so app modules just inject the ports.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: KairosConfig): DynamicModule {
    const adapters: Provider[] =
      config.mode === 'embedded'
        ? [
            {
              provide: InProcessLog,
              inject: [KAIROS_CONFIG],
              useFactory: (c: KairosConfig) =>
                InProcessLog.open({
                  dir: c.embedded.dataDir,
                  partitions: c.kafka.topicPartitions,
                  fsyncIntervalMs: c.embedded.fsyncIntervalMs,
                }),
            },
            { provide: MessagePublisher, useClass: InProcessPublisher },
            { provide: EventLogAdmin, useClass: InProcessLogAdmin },
            { provide: EventLogReadiness, useClass: InProcessLogReadiness },
            { provide: BroadcastConsumers, useClass: InProcessBroadcastConsumers },
          ]
        : [
            KafkaPublisher,
            TopicAdminService,
            { provide: MessagePublisher, useExisting: KafkaPublisher },
            { provide: EventLogAdmin, useExisting: TopicAdminService },
            { provide: EventLogReadiness, useClass: KafkaReadiness },
            { provide: BroadcastConsumers, useClass: KafkaBroadcastConsumers },
          ];
    const exported =
      config.mode === 'embedded' ? [InProcessLog] : [KafkaPublisher, TopicAdminService];
    return {
      module: MessagingModule,
      global: true,
      providers: [...adapters, DeadLetterPublisher, ConsumerAssignments, EnsureTopicsAtBoot],
      exports: [...PORTS, ConsumerAssignments, ...exported],
    };
  }
}
