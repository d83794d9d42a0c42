import { Injectable, Logger } from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { type DecodeFailure } from './inbound-decoder';
import { type InboundMessage } from './inbound-message';
import { MessagePublisher } from '../ports/message-publisher';

export const DeadLetterHeader = {
  ErrorCode: 'kairos-error-code',
  ErrorMessage: 'kairos-error-message',
  SourceTopic: 'kairos-source-topic',
  SourcePartition: 'kairos-source-partition',
  SourceOffset: 'kairos-source-offset',
  FailedAt: 'kairos-failed-at',
} as const;

export interface DeadLetter {
  readonly message: InboundMessage;
  readonly failure: DecodeFailure;
}

/**
 * Moves records that can never be processed to a DLQ topic, byte for byte (key, value, original
 * headers) plus headers saying why and where from, so the partition moves on and nothing is
 * dropped silently. Resolves only once the DLQ write is acknowledged: callers commit after it.
 */
@Injectable()
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(private readonly publisher: MessagePublisher) {}

  async send(topic: TopicName, letters: readonly DeadLetter[], failedAt: number): Promise<void> {
    if (letters.length === 0) return;
    await this.publisher.publish(
      topic,
      letters.map(({ message, failure }) => ({
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...message.headers,
          [DeadLetterHeader.ErrorCode]: failure.code,
          [DeadLetterHeader.ErrorMessage]: failure.reason.slice(0, 1_000),
          [DeadLetterHeader.SourceTopic]: message.topic,
          [DeadLetterHeader.SourcePartition]: String(message.partition),
          [DeadLetterHeader.SourceOffset]: message.offset,
          [DeadLetterHeader.FailedAt]: String(failedAt),
        },
      })),
    );
    this.logger.warn(
      `${letters.length} record(s) sent to ${topic}: ` +
        letters
          .slice(0, 3)
          .map(
            (l) =>
              `${l.message.topic}/${l.message.partition}@${l.message.offset} ${l.failure.code}`,
          )
          .join(', '),
    );
  }
}
