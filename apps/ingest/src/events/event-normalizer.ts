import {
  type FieldIssue,
  type IngestEventDto,
  parseEventTimestamp,
  type UserEventMessage,
} from '@kairos/contracts';
import { v7 as uuidv7 } from 'uuid';

/** Clients' clocks drift; beyond this much in the future an event time is a bug, not skew. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export type NormalizedEvent =
  { readonly message: UserEventMessage } | { readonly issues: FieldIssue[] };

/**
 * Turns a validated client event into the `events` record: event time as epoch ms (receive
 * time by default, bounded to [now - maxAge, now + 5 min]) and an eventId always present.
 */
export function normalizeEvent(
  dto: IngestEventDto,
  receivedAt: number,
  maxEventAgeMs: number,
): NormalizedEvent {
  const timestamp = dto.timestamp === undefined ? receivedAt : parseEventTimestamp(dto.timestamp);
  if (timestamp === null) {
    return { issues: [{ field: 'timestamp', reason: 'timestamp is not a valid date-time' }] };
  }
  if (timestamp > receivedAt + MAX_FUTURE_SKEW_MS) {
    return {
      issues: [{ field: 'timestamp', reason: 'timestamp is more than 5 minutes in the future' }],
    };
  }
  if (timestamp < receivedAt - maxEventAgeMs) {
    return {
      issues: [
        {
          field: 'timestamp',
          reason: `timestamp is older than the maximum age of ${maxEventAgeMs} ms`,
        },
      ],
    };
  }
  return {
    message: {
      eventId: dto.eventId ?? uuidv7({ msecs: receivedAt }),
      userId: dto.userId,
      itemId: dto.itemId,
      type: dto.type,
      ...(dto.value !== undefined ? { value: dto.value } : {}),
      timestamp,
      receivedAt,
      ...(dto.sessionId !== undefined ? { sessionId: dto.sessionId } : {}),
      ...(dto.context !== undefined ? { context: { ...dto.context } } : {}),
    },
  };
}
