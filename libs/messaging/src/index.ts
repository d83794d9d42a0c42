export { MessagingModule } from './messaging.module';
export { ConsumerAssignments } from './consumer-assignments';
export { KafkaPublisher } from './kafka/kafka.publisher';
export { MessagePublisher, type OutboundMessage } from './ports/message-publisher';
export { EventLogAdmin, EventLogReadiness } from './ports/event-log-admin';
export {
  BroadcastConsumers,
  type BroadcastHandler,
  type BroadcastSubscription,
} from './ports/broadcast-consumers';
export { TopicAdminService, groupLag, totalGroupLag } from './kafka/topic-admin.service';
export { TopicProvisioner, TopicSetupError } from './kafka/topic-provisioner';
export { KafkaReadiness } from './kafka/kafka.readiness';
export { KafkaBatchServer, type KafkaBatchServerOptions } from './kafka/kafka-batch.server';
export { KafkaBatchContext } from './kafka/kafka-batch.context';
export { RetryBackoff } from './kafka/retry-backoff';
export { type InboundBatch, type InboundMessage } from './kafka/inbound-message';
export { physicalGroupId, physicalTopic } from './kafka/topic-names';
export { createKafka } from './kafka/kafka-client.factory';
export { murmur2, partitionForKey } from './partitioning/murmur2';
export { JavaCompatiblePartitioner } from './kafka/java-compatible.partitioner';
export { registerLz4Codec } from './kafka/lz4.codec';
export {
  DeadLetterPublisher,
  DeadLetterHeader,
  type DeadLetter,
} from './kafka/dead-letter.publisher';
export { decodeRecord, type Decoded, type DecodeFailure } from './kafka/inbound-decoder';
export {
  ConsumerLagMonitor,
  LAG_MONITOR_TARGET,
  type LagMonitorTarget,
} from './kafka/consumer-lag.monitor';
export { BroadcastConsumer } from './kafka/broadcast.consumer';
export { KafkaBroadcastConsumers } from './kafka/kafka-broadcast-consumers';
export { InProcessLog, type InProcessLogOptions } from './in-process/in-process-log';
export { type OffsetsSnapshot } from './in-process/committed-offsets';
export { DataDirectoryLockedError } from './in-process/directory-lock';
export { InProcessGroupConsumer, type DeliveredBatch } from './in-process/group-consumer';
export {
  InProcessBatchServer,
  type InProcessBatchServerOptions,
} from './in-process/in-process-batch.server';
export { InProcessPublisher } from './in-process/in-process.publisher';
