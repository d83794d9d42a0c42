import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One kind of record no consumer can process, and the DLQ code it must end with. */
export interface PoisonKind {
  readonly name: string;
  readonly expectedCode: string;
  /** kcat -H headers for the whole kind (kcat sets headers per invocation). */
  readonly headers?: Record<string, string>;
  /** Values, one record each; keys are `poison-<kind>-<n>`. */
  readonly values: (count: number) => string[];
  /** Values too large or too binary for one line go through files, one record per file. */
  readonly asFiles?: boolean;
}

const validEvent = (n: number): Record<string, unknown> => ({
  eventId: `poison-${n}`,
  userId: `poison-user-${n}`,
  itemId: 'item-00001',
  type: 'view',
  timestamp: Date.now(),
  receivedAt: Date.now(),
});

const times = <T>(count: number, make: (n: number) => T): T[] =>
  Array.from({ length: count }, (_, n) => make(n));

/** Poison for `events`: malformed, wrong-schema, foreign-key, future-version, oversized. */
export const EVENT_POISON: readonly PoisonKind[] = [
  {
    name: 'truncated JSON',
    expectedCode: 'malformed_json',
    values: (count) => times(count, (n) => JSON.stringify(validEvent(n)).slice(0, 40)),
  },
  {
    name: 'not JSON at all',
    expectedCode: 'malformed_json',
    values: (count) => times(count, (n) => `<event id="${n}"/> \u0000\u00ff`),
  },
  {
    name: 'wrong types',
    expectedCode: 'schema_violation',
    values: (count) =>
      times(count, (n) => JSON.stringify({ ...validEvent(n), type: 42, timestamp: 'yesterday' })),
  },
  {
    name: 'Mongo operators and prototype keys',
    expectedCode: 'schema_violation',
    values: (count) =>
      times(
        count,
        (n) =>
          `${JSON.stringify(validEvent(n)).slice(0, -1)},"$where":"sleep(1000)","__proto__":{"admin":true}}`,
      ),
  },
  {
    name: 'key is not the userId',
    expectedCode: 'schema_violation',
    // The key written is poison-<kind>-<n>, never this userId.
    values: (count) => times(count, (n) => JSON.stringify(validEvent(n))),
  },
  {
    name: 'JSON that is not an object',
    expectedCode: 'schema_violation',
    values: (count) => times(count, (n) => (n % 2 === 0 ? `[${n}]` : `"${n}"`)),
  },
  {
    name: 'unknown schema version',
    expectedCode: 'unsupported_schema_version',
    headers: { 'kairos-schema-version': '99' },
    values: (count) => times(count, (n) => JSON.stringify(validEvent(n))),
  },
  {
    name: 'oversized field (900 KB userId)',
    expectedCode: 'schema_violation',
    asFiles: true,
    values: (count) =>
      times(count, (n) => JSON.stringify({ ...validEvent(n), userId: 'u'.repeat(900_000) })),
  },
];

/** Poison for `session-features`: what a foreign producer could write there. */
export const SESSION_FEATURES_POISON: readonly PoisonKind[] = [
  {
    name: 'truncated snapshot',
    expectedCode: 'malformed_json',
    values: (count) => times(count, (n) => `{"userId":"poison-user-${n}","profile":{`),
  },
  {
    name: 'snapshot without profile',
    expectedCode: 'schema_violation',
    values: (count) => times(count, (n) => JSON.stringify({ userId: `poison-user-${n}` })),
  },
  {
    name: 'snapshot of a future version',
    expectedCode: 'unsupported_schema_version',
    headers: { 'kairos-schema-version': '99' },
    values: (count) => times(count, (n) => JSON.stringify({ userId: `poison-user-${n}` })),
  },
];

/**
 * Writes `count` records of a kind to `topic` with kcat (librdkafka, Debian's `kcat`): an
 * independent client, so nothing of our producer's framing or validation is involved.
 * Returns the keys written.
 */
export function writeWithKcat(
  brokers: string,
  topic: string,
  kind: PoisonKind,
  count: number,
): string[] {
  const key = poisonKey(kind);
  const keys = times(count, (n) => `${key}-${n}`);
  const values = kind.values(count);
  const headerArgs = Object.entries(kind.headers ?? {}).flatMap(([name, value]) => [
    '-H',
    `${name}=${value}`,
  ]);
  const base = ['-P', '-b', brokers, '-t', topic, ...headerArgs];
  if (kind.asFiles === true) {
    // kcat sends each file as one record; a file cannot carry a key, so these share one key.
    const dir = mkdtempSync(join(tmpdir(), 'kairos-poison-'));
    try {
      const files = values.map((value, n) => {
        const file = join(dir, `${n}.json`);
        writeFileSync(file, value);
        return file;
      });
      execFileSync('kcat', [...base, '-k', key, ...files], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return values.map(() => key);
  }
  const lines = values.map((value, n) => `${keys[n]}\t${value.replace(/\n/g, ' ')}`);
  execFileSync('kcat', [...base, '-K', '\t'], { input: `${lines.join('\n')}\n`, stdio: 'pipe' });
  return keys;
}

/** The key of a kind's records (plus `-<n>` where kcat lets each record have its own). */
export function poisonKey(kind: PoisonKind): string {
  return `poison-${kind.name.replace(/\W+/g, '-')}`;
}

/** Whether a record (by its key, kept byte for byte in the DLQ) is one of `kind`'s. */
export function isPoisonOf(kind: PoisonKind, key: string | null): boolean {
  const prefix = poisonKey(kind);
  return key === prefix || (key?.startsWith(`${prefix}-`) ?? false);
}

/** Fails early, naming the package, when the independent client is missing. */
export function requireKcat(): void {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'pipe' });
  } catch {
    throw new Error('kcat is missing: apt-get install -y kcat (Debian; .ci/run installs it)');
  }
}
