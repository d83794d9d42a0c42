import { DeadLetterHeader } from '@kairos/messaging';
import { type RawRecord, type TopicRecord } from './topic-reader';

export interface DeadLetters {
  readonly records: readonly TopicRecord[];
  /** Error code per record key: what each poison record was refused for. */
  readonly codeByKey: Record<string, string | undefined>;
  /** "<key>: <what is missing>" for each record that does not say why or where from. */
  readonly unexplained: readonly string[];
}

/** Reads a topic until `done` holds (the embedded log and Kafka read the same way). */
export type TopicRead = (
  done: (records: readonly TopicRecord[]) => boolean,
) => Promise<TopicRecord[]>;

/**
 * Reads a `<topic>.dlq` until `expected` records arrived and says what they are: the error code
 * per key, and every record whose headers do not say why (code, message) and where from
 * (`sourceTopic`, partition, offset), so an operator could find and replay it.
 */
export async function readDeadLetters(
  read: TopicRead,
  expected: number,
  sourceTopic: string | RegExp,
): Promise<DeadLetters> {
  const records = await read((found) => found.length >= expected);
  return {
    records,
    codeByKey: Object.fromEntries(
      records.map((record) => [record.key, record.headers[DeadLetterHeader.ErrorCode]]),
    ),
    unexplained: records.flatMap((record) =>
      missingDeadLetterHeaders(record, sourceTopic).map((missing) => `${record.key}: ${missing}`),
    ),
  };
}

/** What a dead letter fails to say about itself; empty when it is complete. */
export function missingDeadLetterHeaders(
  record: TopicRecord,
  sourceTopic: string | RegExp,
): string[] {
  const { headers } = record;
  const source = headers[DeadLetterHeader.SourceTopic] ?? '';
  const checks: ReadonlyArray<readonly [boolean, string]> = [
    [(headers[DeadLetterHeader.ErrorCode] ?? '').length > 0, 'no error code'],
    [(headers[DeadLetterHeader.ErrorMessage] ?? '').length > 0, 'no error message'],
    [
      typeof sourceTopic === 'string' ? source === sourceTopic : sourceTopic.test(source),
      `source topic "${source}" is not ${String(sourceTopic)}`,
    ],
    [/^\d+$/.test(headers[DeadLetterHeader.SourcePartition] ?? ''), 'no source partition'],
    [/^\d+$/.test(headers[DeadLetterHeader.SourceOffset] ?? ''), 'no source offset'],
  ];
  return checks.filter(([ok]) => !ok).map(([, missing]) => missing);
}

/**
 * One record of each kind `events` consumers must divert, built from a valid event, with the
 * error code each must reach the DLQ with. p1 carries a `traceparent` to show that the original
 * headers travel with it.
 */
export function poisonEvents(valid: object): {
  records: RawRecord[];
  expectedCodes: Record<string, string>;
} {
  const click = { ...valid, type: 'click' };
  return {
    records: [
      { key: 'p1', value: '{not json', headers: { traceparent: 'keep-me' } },
      { key: 'p2', value: JSON.stringify({ eventId: 'x', userId: 'p2' }) },
      { key: 'p3', value: null },
      { key: 'p4', value: JSON.stringify({ ...valid, userId: 'p4', type: 'teleport' }) },
      // Keyed by someone other than the event's user.
      { key: 'someone-else', value: JSON.stringify({ ...click, userId: 'p5', eventId: 'p5' }) },
      {
        key: 'p6',
        value: JSON.stringify({ ...click, userId: 'p6' }),
        headers: { 'kairos-schema-version': '99' },
      },
      // A MongoDB operator smuggled in as a field.
      {
        key: 'p7',
        value: JSON.stringify({ ...click, userId: 'p7', eventId: 'p7', $where: 'sleep(1000)' }),
      },
    ],
    expectedCodes: {
      p1: 'malformed_json',
      p2: 'schema_violation',
      p3: 'missing_value',
      p4: 'schema_violation',
      'someone-else': 'schema_violation',
      p6: 'unsupported_schema_version',
      p7: 'schema_violation',
    },
  };
}
