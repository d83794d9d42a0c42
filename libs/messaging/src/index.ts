export { MessagingModule } from './messaging.module';
export { KafkaPublisher, type OutboundMessage } from './kafka/kafka.publisher';
export { TopicAdminService, groupLag, totalGroupLag } from './kafka/topic-admin.service';
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
export { BroadcastConsumer, type BroadcastHandler } from './kafka/broadcast.consumer';
