import { Injectable, Logger } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import {
  type FieldIssue,
  IngestEventDto,
  RecordHeader,
  SCHEMA_VERSION,
  Topic,
  type UserEventMessage,
  validateDto,
} from '@kairos/contracts';
import { KairosError, logInTrace, recordTraceHeaders, type RequestTrace } from '@kairos/http';
import { type OutboundMessage } from '@kairos/messaging';
import { withSpanSync } from '@kairos/telemetry';
import { IngestMetrics } from '../ingest.metrics';
import { GuardedPublisher } from '../publishing/guarded-publisher';
import { normalizeEvent } from './event-normalizer';

export interface BatchEntryResult {
  readonly index: number;
  readonly eventId: string | null;
  readonly status: 'accepted' | 'rejected';
  readonly error?: {
    readonly code: 'validation_failed';
    readonly message: string;
    readonly details: FieldIssue[];
  };
}

export interface BatchResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly results: BatchEntryResult[];
}

/** Accepts events: normalise, publish to `events` keyed by userId, answer only after the ack. */
@Injectable()
export class EventIntakeService {
  private readonly logger = new Logger('events');

  constructor(
    private readonly publisher: GuardedPublisher,
    private readonly metrics: IngestMetrics,
    @InjectConfig() private readonly config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** `dto` was validated by the global pipe; only the clock-dependent rules remain. */
  async acceptOne(dto: IngestEventDto, trace: RequestTrace): Promise<{ eventId: string }> {
    const normalized = withSpanSync(
      'ingest.validate',
      (span) => {
        const result = normalizeEvent(dto, this.clock(), this.config.ingest.maxEventAgeMs);
        span?.setAttribute('kairos.valid', !('issues' in result));
        return result;
      },
      { parent: trace },
    );
    if ('issues' in normalized) {
      this.countRejections('single', normalized.issues);
      throw KairosError.validation(normalized.issues);
    }
    await this.publish([normalized.message], trace, 'single');
    return { eventId: normalized.message.eventId };
  }

  /** Valid entries are published together; invalid ones are reported by index. */
  async acceptBatch(entries: readonly unknown[], trace: RequestTrace): Promise<BatchResult> {
    const receivedAt = this.clock();
    const results: BatchEntryResult[] = [];
    const messages: UserEventMessage[] = [];
    withSpanSync(
      'ingest.validate',
      (span) => {
        span?.setAttribute('kairos.batch.entries', entries.length);
        entries.forEach((entry, index) =>
          this.validateEntry(entry, index, receivedAt, results, messages),
        );
      },
      { parent: trace },
    );
    await this.publish(messages, trace, 'batch');
    return { accepted: messages.length, rejected: results.length - messages.length, results };
  }

  private validateEntry(
    entry: unknown,
    index: number,
    receivedAt: number,
    results: BatchEntryResult[],
    messages: UserEventMessage[],
  ): void {
    const validated = validateDto(IngestEventDto, entry);
    const normalized =
      'issues' in validated
        ? validated
        : normalizeEvent(validated.value, receivedAt, this.config.ingest.maxEventAgeMs);
    if ('issues' in normalized) {
      this.countRejections('batch', normalized.issues);
      results.push({
        index,
        eventId: clientEventId(entry),
        status: 'rejected',
        error: {
          code: 'validation_failed',
          message: KairosError.validation(normalized.issues).message,
          details: normalized.issues,
        },
      });
      return;
    }
    messages.push(normalized.message);
    results.push({ index, eventId: normalized.message.eventId, status: 'accepted' });
  }

  private async publish(
    messages: readonly UserEventMessage[],
    trace: RequestTrace,
    endpoint: string,
  ): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.publisher.publish(
        Topic.Events,
        messages.map((message) => toRecord(message, trace)),
      );
    } catch (error) {
      const reason = error instanceof KairosError ? error.code : 'internal_error';
      this.metrics.eventsRejected.inc({ endpoint, reason }, messages.length);
      throw error;
    }
    this.metrics.eventsAccepted.inc({ endpoint }, messages.length);
    logInTrace(trace, () =>
      this.logger.debug(`accepted ${messages.length} event(s), first ${messages[0]?.eventId}`),
    );
  }

  private countRejections(endpoint: string, issues: readonly FieldIssue[]): void {
    this.metrics.eventsRejected.inc({ endpoint, reason: issues[0]?.field ?? 'unknown' });
  }
}

function toRecord(message: UserEventMessage, trace: RequestTrace): OutboundMessage {
  return {
    key: message.userId,
    value: message,
    headers: {
      [RecordHeader.EventId]: message.eventId,
      [RecordHeader.SchemaVersion]: SCHEMA_VERSION,
      [RecordHeader.ContentType]: 'application/json',
      ...recordTraceHeaders(trace),
    },
  };
}

/** Echo the client's own id for a rejected entry when it sent a usable one. */
function clientEventId(entry: unknown): string | null {
  if (typeof entry !== 'object' || entry === null || !('eventId' in entry)) return null;
  const { eventId } = entry;
  return typeof eventId === 'string' && eventId.length > 0 && eventId.length <= 128
    ? eventId
    : null;
}
