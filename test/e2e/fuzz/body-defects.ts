import fc from 'fast-check';
import { EVENT_TYPES } from '@kairos/contracts';
import {
  invalidEntityId,
  MONGO_OPERATOR_OBJECTS,
  nonBooleanJson,
  nonStringJson,
} from './hostile-values';
import { defect, type Defect } from './request-defects';

/** Endpoint-specific invalid bodies: each breaks one documented rule of the DTO. */

type Json = Record<string, unknown>;

function jsonBody(name: string, body: unknown): Defect {
  return defect(name, (d) => {
    d.headers['content-type'] = 'application/json';
    d.body = JSON.stringify(body);
  });
}

const VALID_EVENT: Json = { userId: 'fuzz-user', itemId: 'fuzz-item', type: 'view' };
const EVENT_FIELDS = [
  'eventId',
  'userId',
  'itemId',
  'type',
  'value',
  'timestamp',
  'sessionId',
  'context',
];
const HOUR = 3_600_000;

/** Every way an event object can break the ingest contract (README "Ingest API"). */
export function invalidEvent(now: number): fc.Arbitrary<[string, Json]> {
  const event = (name: string, patch: Json): [string, Json] => [name, { ...VALID_EVENT, ...patch }];
  const longString = (min: number) => fc.string({ minLength: min, maxLength: min + 200 });
  return fc.oneof(
    fc.constantFrom('userId', 'itemId', 'type').map((field): [string, Json] => {
      const rest = { ...VALID_EVENT };
      delete rest[field];
      return [`event: ${field} missing`, rest];
    }),
    fc
      .tuple(fc.constantFrom('userId', 'itemId', 'type'), nonStringJson(true))
      .map(([field, value]) => event(`event: ${field} wrong type`, { [field]: value })),
    fc
      .tuple(fc.constantFrom('eventId', 'sessionId', 'timestamp'), nonStringJson(false))
      .filter(([field, value]) => field !== 'timestamp' || !Number.isSafeInteger(value))
      .map(([field, value]) => event(`event: ${field} wrong type`, { [field]: value })),
    fc
      .tuple(fc.constantFrom('userId', 'itemId'), invalidEntityId)
      .map(([field, value]) => event(`event: ${field} invalid`, { [field]: value })),
    fc
      .string()
      .filter((type) => !(EVENT_TYPES as readonly string[]).includes(type))
      .map((type) => event('event: unknown type', { type })),
    fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((key) => !EVENT_FIELDS.includes(key))
      .map((key) => event('event: unknown field', { [key]: 1 })),
    fc
      .oneof(
        fc.constant(undefined),
        fc.double({ noNaN: true }).filter((v) => !Number.isFinite(v) || v < 1 || v > 5),
        fc.constantFrom('4', true, [4], { $gt: 0 }),
      )
      .map((value) =>
        event(
          'event: bad rating value',
          value === undefined ? { type: 'rating' } : { type: 'rating', value },
        ),
      ),
    fc
      .oneof(
        fc.integer({ min: now + 10 * 60_000, max: now + 1_000 * 24 * HOUR }),
        fc.integer({ min: 0, max: now - 8 * 24 * HOUR }),
        fc.integer({ max: -1 }),
        fc.double({ min: 1.1, max: 1e12, noNaN: true }).filter((v) => !Number.isInteger(v)),
        fc.constantFrom('yesterday', '2026-13-45T00:00:00Z', '2026-01-01', '1e12', ''),
      )
      .map((timestamp) => event('event: bad timestamp', { timestamp })),
    fc.oneof(
      fc.constant(event('event: context nested', { context: { a: { b: 'c' } } })),
      fc.constant(event('event: context not an object', { context: ['a'] })),
      fc
        .constantFrom('$where', 'a.b', '', 'ü', 'x'.repeat(65), '$set')
        .map((key) => event('event: context key invalid', { context: { [key]: 'v' } })),
      fc.integer({ min: 17, max: 40 }).map((count) =>
        event('event: context too many keys', {
          context: Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v'])),
        }),
      ),
      longString(257).map((value) =>
        event('event: context value too long', { context: { q: value } }),
      ),
      fc
        .constantFrom(...MONGO_OPERATOR_OBJECTS)
        .map((value) => event('event: context operator object', { context: { q: value } })),
    ),
    fc
      .oneof(fc.constant(''), longString(129))
      .map((eventId) => event('event: bad eventId', { eventId })),
  );
}

export function eventBodyDefects(now: number): fc.Arbitrary<Defect> {
  return fc.oneof(
    { weight: 6, arbitrary: invalidEvent(now).map(([name, body]) => jsonBody(name, body)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>([], [VALID_EVENT], {}, [1, 2])
        .map((body) => jsonBody('event: body not an event object', body)),
    },
  );
}

/** Envelope errors (400) and batches whose every entry is invalid (202, nothing accepted). */
export function batchBodyDefects(now: number): fc.Arbitrary<Defect> {
  return fc.oneof(
    fc
      .constantFrom<unknown>(
        {},
        { events: [] },
        { events: {} },
        { events: 'x' },
        { events: null },
        [],
      )
      .map((body) => jsonBody('batch: envelope invalid', body)),
    nonStringJson(true)
      .filter((value) => !Array.isArray(value))
      .map((events) => jsonBody('batch: events not an array', { events })),
    fc
      .integer({ min: 1_001, max: 1_200 })
      .map((count) =>
        jsonBody('batch: over 1,000 events', { events: Array(count).fill(VALID_EVENT) }),
      ),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((key) => key !== 'events')
      .map((key) => jsonBody('batch: unknown field', { events: [VALID_EVENT], [key]: true })),
    fc
      .array(invalidEvent(now), { minLength: 1, maxLength: 5 })
      .map((entries) =>
        jsonBody(ALL_ENTRIES_INVALID, { events: entries.map(([, entry]) => entry) }),
      ),
  );
}

/** The one defect answered 202: the batch is well-formed, and every entry is reported rejected. */
export const ALL_ENTRIES_INVALID = 'batch: every entry invalid';

/** Catalog upserts breaking ItemUpsertDto's rules. */
export const itemBodyDefects: fc.Arbitrary<Defect> = fc
  .oneof(
    fc
      .oneof(fc.constant(''), fc.string({ minLength: 513, maxLength: 700 }), nonStringJson(false))
      .map((title): [string, unknown] => ['item: bad title', { title }]),
    fc.constantFrom('categories', 'tags').chain((field) =>
      fc
        .oneof(
          nonStringJson(false).filter((value) => !Array.isArray(value)),
          fc.constantFrom(['$where'], [''], ['a\u0000b'], ['x'.repeat(129)], [1], [{ $gt: '' }]),
          fc.constant(Array.from({ length: 65 }, (_, i) => `label-${i}`)),
        )
        .map((value): [string, unknown] => [`item: bad ${field}`, { [field]: value }]),
    ),
    nonBooleanJson.map((available): [string, unknown] => [
      'item: available not boolean',
      { available },
    ]),
    fc
      .constantFrom<unknown>(
        'brand',
        ['a'],
        { nested: { a: 1 } },
        { $set: 'x' },
        { 'a.b': 'x' },
        { k: null },
        { k: 'x'.repeat(1_025) },
        Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
      )
      .map((properties): [string, unknown] => ['item: bad properties', { properties }]),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((key) => !['title', 'categories', 'tags', 'available', 'properties'].includes(key))
      .map((key): [string, unknown] => ['item: unknown field', { [key]: 'x' }]),
    fc
      .constantFrom<unknown>([], [{ title: 'x' }])
      .map((body): [string, unknown] => ['item: body not an object', body]),
  )
  .map(([name, body]) => jsonBody(name, body));
