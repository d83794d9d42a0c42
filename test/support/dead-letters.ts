import { DeadLetterHeader } from '@kairos/messaging';
import { type TopicRecord } from './topic-reader';

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
