import { type TopicName } from '@kairos/contracts';
import { type InboundBatch, type InboundMessage } from '../kafka/inbound-message';
import { encodeValue, type OutboundMessage } from '../ports/message-publisher';
import { type AppendInput } from './in-process-log';
import { type DeliveredBatch } from './group-consumer';
import { type LogRecord } from './log-record';

/*
 * The only places where the in-process adapter maps records to and from the shapes the rest of
 * Kairos sees: headers are plain string maps both ways (no Buffers, no arrays), and the record
 * timestamp is the one set at append. Tracing hooks (inject on publish, extract per batch) belong
 * here, next to these two functions.
 */

export function toAppendInput(message: OutboundMessage): AppendInput {
  return {
    key: message.key,
    value: encodeValue(message.value),
    headers: message.headers === undefined ? {} : { ...message.headers },
  };
}

export function toInboundBatch(batch: DeliveredBatch): InboundBatch {
  return {
    topic: batch.topic,
    partitions: [batch.partition],
    messages: batch.records.map((record) => toInboundMessage(batch.topic, batch.partition, record)),
  };
}

function toInboundMessage(topic: TopicName, partition: number, record: LogRecord): InboundMessage {
  return {
    topic,
    partition,
    offset: String(record.offset),
    key: record.key,
    value: record.value,
    headers: { ...record.headers },
    timestamp: record.timestamp,
  };
}
