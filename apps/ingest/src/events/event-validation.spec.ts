import { type FieldIssue, IngestEventDto, validateDto } from '@kairos/contracts';
import { MAX_FUTURE_SKEW_MS, normalizeEvent } from './event-normalizer';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const MAX_AGE_MS = 7 * 24 * 3_600_000;
const valid = { userId: 'user-1', itemId: 'item-1', type: 'click' };

/** Validation plus normalisation, as the batch endpoint applies them to each entry. */
function check(entry: unknown): { issues: FieldIssue[] } | { eventId: string; timestamp: number } {
  const validated = validateDto(IngestEventDto, entry);
  if ('issues' in validated) return validated;
  const normalized = normalizeEvent(validated.value, NOW, MAX_AGE_MS);
  return 'issues' in normalized
    ? normalized
    : { eventId: normalized.message.eventId, timestamp: normalized.message.timestamp };
}

describe('event validation', () => {
  const rejected: ReadonlyArray<readonly [string, unknown, string]> = [
    ['not an object', 'click', '(root)'],
    ['array instead of object', [valid], '(root)'],
    ['missing userId', { itemId: 'i', type: 'click' }, 'userId'],
    ['empty userId', { ...valid, userId: '' }, 'userId'],
    ['userId with a space', { ...valid, userId: 'user 1' }, 'userId'],
    ['userId of 129 characters', { ...valid, userId: 'u'.repeat(129) }, 'userId'],
    ['userId that is a number', { ...valid, userId: 42 }, 'userId'],
    ['userId as a Mongo operator object', { ...valid, userId: { $gt: '' } }, 'userId'],
    ['userId with unicode', { ...valid, userId: 'usér' }, 'userId'],
    ['missing itemId', { userId: 'u', type: 'click' }, 'itemId'],
    ['itemId with a slash', { ...valid, itemId: 'a/b' }, 'itemId'],
    ['itemId starting with $', { ...valid, itemId: '$where' }, 'itemId'],
    ['missing type', { userId: 'u', itemId: 'i' }, 'type'],
    ['unknown type', { ...valid, type: 'hover' }, 'type'],
    ['rating without value', { ...valid, type: 'rating' }, 'value'],
    ['rating below 1', { ...valid, type: 'rating', value: 0 }, 'value'],
    ['rating above 5', { ...valid, type: 'rating', value: 5.5 }, 'value'],
    ['value that is a string', { ...valid, value: '3' }, 'value'],
    ['eventId too long', { ...valid, eventId: 'e'.repeat(129) }, 'eventId'],
    ['empty eventId', { ...valid, eventId: '' }, 'eventId'],
    ['eventId that is a number', { ...valid, eventId: 7 }, 'eventId'],
    ['timestamp without zone', { ...valid, timestamp: '2026-11-22T11:00:00' }, 'timestamp'],
    ['timestamp as a date only', { ...valid, timestamp: '2026-11-22' }, 'timestamp'],
    ['negative epoch timestamp', { ...valid, timestamp: -1 }, 'timestamp'],
    ['fractional epoch timestamp', { ...valid, timestamp: 1.5 }, 'timestamp'],
    ['timestamp as free text', { ...valid, timestamp: 'yesterday' }, 'timestamp'],
    [
      'timestamp more than 5 minutes ahead',
      { ...valid, timestamp: NOW + MAX_FUTURE_SKEW_MS + 1 },
      'timestamp',
    ],
    [
      'timestamp older than the maximum age',
      { ...valid, timestamp: NOW - MAX_AGE_MS - 1 },
      'timestamp',
    ],
    ['empty sessionId', { ...valid, sessionId: '' }, 'sessionId'],
    ['sessionId too long', { ...valid, sessionId: 's'.repeat(129) }, 'sessionId'],
    ['context that is a string', { ...valid, context: 'home' }, 'context'],
    [
      'context with 17 keys',
      {
        ...valid,
        context: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
      },
      'context',
    ],
    [
      'context value of 257 characters',
      { ...valid, context: { page: 'p'.repeat(257) } },
      'context',
    ],
    ['context with a nested object', { ...valid, context: { page: { a: 1 } } }, 'context'],
    ['context with a number value', { ...valid, context: { page: 1 } }, 'context'],
    ['context key that is a Mongo operator', { ...valid, context: { $gt: '' } }, 'context'],
    ['context key with a dot', { ...valid, context: { 'a.b': 'x' } }, 'context'],
    ['unknown field', { ...valid, price: 3 }, 'price'],
  ];

  it.each(rejected)('rejects %s, naming the field', (_case, entry, field) => {
    const result = check(entry);
    expect('issues' in result).toBe(true);
    if (!('issues' in result)) return;
    expect(result.issues.map((issue) => issue.field)).toContain(field);
    const issue = result.issues.find((i) => i.field === field);
    expect(issue?.reason).toEqual(expect.any(String));
  });

  const accepted: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
    ['the minimal event', valid],
    ['every event type', { ...valid, type: 'add_to_cart' }],
    ['a rating of 1', { ...valid, type: 'rating', value: 1 }],
    ['a rating of 5', { ...valid, type: 'rating', value: 5 }],
    ['a value on a purchase', { ...valid, type: 'purchase', value: 129.9 }],
    [
      'identifier characters . _ : @ -',
      { ...valid, userId: 'a.b_c:d@e-f', itemId: 'X'.repeat(128) },
    ],
    ['an ISO timestamp with offset', { ...valid, timestamp: '2026-11-22T13:00:00+01:00' }],
    [
      'an epoch-ms timestamp at the future bound',
      { ...valid, timestamp: NOW + MAX_FUTURE_SKEW_MS },
    ],
    ['an epoch-ms timestamp at the age bound', { ...valid, timestamp: NOW - MAX_AGE_MS }],
    [
      '16 context keys of 256 characters',
      {
        ...valid,
        context: Object.fromEntries(
          Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'.repeat(256)]),
        ),
      },
    ],
    [
      'a context value that looks like a Mongo operator (carried inertly)',
      { ...valid, context: { q: '{"$gt": ""}' } },
    ],
  ];

  it.each(accepted)('accepts %s', (_case, entry) => {
    expect(check(entry)).toEqual({ eventId: expect.any(String), timestamp: expect.any(Number) });
  });

  it('defaults the timestamp to the receive time and generates a UUIDv7 event id', () => {
    const result = check(valid);
    expect(result).toEqual({
      eventId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      timestamp: NOW,
    });
    // The UUIDv7's time field is the receive time, so ids sort by arrival.
    const eventId = (result as { eventId: string }).eventId;
    expect(parseInt(eventId.replace(/-/g, '').slice(0, 12), 16)).toBe(NOW);
  });

  it('keeps a client eventId and normalises ISO timestamps to epoch ms', () => {
    expect(
      check({ ...valid, eventId: 'client-1', timestamp: '2026-11-22T13:00:00+01:00' }),
    ).toEqual({
      eventId: 'client-1',
      timestamp: NOW,
    });
  });
});
