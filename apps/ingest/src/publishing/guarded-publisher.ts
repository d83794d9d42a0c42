import { Injectable } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { type TopicName } from '@kairos/contracts';
import { ErrorCode, KairosError } from '@kairos/http';
import { MessagePublisher, type OutboundMessage } from '@kairos/messaging';
import { IngestMetrics } from '../ingest.metrics';

/**
 * Publishing as HTTP callers need it: bounded in-flight records (503 instead of growing
 * memory), a deadline on the broker's acknowledgement (503 with Retry-After instead of a
 * hanging request), and every broker failure reported as 503, never as accepted.
 *
 * A timed-out send keeps running in kafkajs and may still land; the client then retries with
 * the same eventId and the duplicate is removed downstream (idempotent by eventId). What is
 * never possible is a 202 for a record the broker did not acknowledge.
 */
@Injectable()
export class GuardedPublisher {
  private inFlight = 0;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly metrics: IngestMetrics,
    @InjectConfig() private readonly config: KairosConfig,
  ) {}

  get recordsInFlight(): number {
    return this.inFlight;
  }

  async publish(topic: TopicName, messages: readonly OutboundMessage[]): Promise<void> {
    const { maxInFlight, produceTimeoutMs } = this.config.ingest;
    if (this.inFlight + messages.length > maxInFlight) {
      throw new KairosError(
        ErrorCode.Overloaded,
        `ingest is at its in-flight limit (${maxInFlight} records awaiting the broker); retry shortly`,
        undefined,
        1,
      );
    }
    this.inFlight += messages.length;
    const started = performance.now();
    const send = this.publisher.publish(topic, messages).finally(() => {
      this.inFlight -= messages.length;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProduceTimeout(produceTimeoutMs)), produceTimeoutMs);
    });
    try {
      await Promise.race([send, deadline]);
      this.metrics.produceSeconds.observe(
        { topic, outcome: 'ok' },
        (performance.now() - started) / 1_000,
      );
    } catch (error) {
      send.catch(() => undefined); // the race already decided; keep a late failure from going unhandled
      this.metrics.produceSeconds.observe(
        { topic, outcome: 'error' },
        (performance.now() - started) / 1_000,
      );
      throw new KairosError(
        ErrorCode.BrokerUnavailable,
        error instanceof ProduceTimeout
          ? `the event log did not acknowledge the write within ${produceTimeoutMs} ms; nothing was accepted, retry with the same eventId`
          : 'the event log is unavailable; nothing was accepted, retry with the same eventId',
        undefined,
        5,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

class ProduceTimeout extends Error {
  constructor(ms: number) {
    super(`no acknowledgement within ${ms} ms`);
  }
}
