import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type EventType, type UserEventMessage } from '@kairos/contracts';

/** The real click-stream sample beside the repository (never copied into it). */
export const DIGINETICA_SAMPLE = resolve(
  __dirname,
  '../../../shared/data/diginetica-sample/train-item-views.csv',
);

/**
 * Events from the Diginetica sample (each anonymous session becomes a user), repeated with
 * shifted users and times until `minEvents` are reached. Event types are derived from a hash of
 * the row so the stream has clicks, carts and purchases as well as views; reproducible.
 */
export function digineticaStream(minEvents: number): UserEventMessage[] {
  const rows = readFileSync(DIGINETICA_SAMPLE, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(';'))
    .filter((fields) => fields.length === 5)
    .map(([sessionId, , itemId, timeframe, eventDate]) => ({
      sessionId: sessionId ?? '',
      itemId: itemId ?? '',
      time: Date.parse(`${eventDate ?? ''}T00:00:00Z`) + Number(timeframe ?? 0),
    }));
  const events: UserEventMessage[] = [];
  for (let round = 0; events.length < minEvents; round++) {
    const shift = round * 86_400_000;
    for (const [index, row] of rows.entries()) {
      if (events.length >= minEvents) break;
      const timestamp = row.time + shift;
      events.push({
        eventId: `dg-${round}-${index}`,
        userId: `s${row.sessionId}-r${round}`,
        itemId: `i${row.itemId}`,
        type: typeOf(index * 31 + round),
        timestamp,
        receivedAt: timestamp,
        context: { category: `c${Number(row.itemId) % 40}` },
      });
    }
  }
  return events;
}

function typeOf(seed: number): EventType {
  const bucket = (seed * 2_654_435_761) % 100;
  if (bucket < 80) return 'view';
  if (bucket < 92) return 'click';
  if (bucket < 97) return 'add_to_cart';
  return 'purchase';
}

export interface UserTruth {
  total: number;
  byType: Partial<Record<EventType, number>>;
}

/** Ground truth per user, each eventId counted once. */
export function truthOf(
  events: ReadonlyArray<Pick<UserEventMessage, 'eventId' | 'userId' | 'type'>>,
): Map<string, UserTruth> {
  const seen = new Set<string>();
  const truth = new Map<string, UserTruth>();
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const user = truth.get(event.userId) ?? { total: 0, byType: {} };
    user.total += 1;
    user.byType[event.type] = (user.byType[event.type] ?? 0) + 1;
    truth.set(event.userId, user);
  }
  return truth;
}
