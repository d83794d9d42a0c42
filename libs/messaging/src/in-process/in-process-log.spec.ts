import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topic, type TopicName } from '@kairos/contracts';
import { DeadLetterHeader, DeadLetterPublisher } from '../kafka/dead-letter.publisher';
import { RetryBackoff } from '../kafka/retry-backoff';
import { partitionForKey } from '../partitioning/murmur2';
import { DataDirectoryLockedError } from './directory-lock';
import { type DeliveredBatch, InProcessGroupConsumer } from './group-consumer';
import { InProcessLog } from './in-process-log';
import { InProcessPublisher } from './in-process.publisher';
import { toInboundBatch } from './record-mapping';

const PARTITIONS = 4;
let dir: string;
let log: InProcessLog;
const consumers: InProcessGroupConsumer[] = [];

const open = (fsyncIntervalMs = 0) =>
  InProcessLog.open({ dir, partitions: PARTITIONS, fsyncIntervalMs, clock: () => 1_000 });

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function append(topic: TopicName, key: string | null, value: unknown, headers = {}) {
  return log.append(topic, [{ key, value: value === null ? null : json(value), headers }]);
}

// Real files and fsyncs: on a loaded machine a test outlasts Jest's default 5 s.
jest.setTimeout(30_000);

/**
 * Polls a condition (no fixed sleeps); consumption is asynchronous. Generous: CI may be loaded.
 * Monotonic time, so a test may freeze Date.now().
 */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function consume(
  groupId: string,
  handler: (batch: DeliveredBatch) => Promise<void> | void,
  options: { topics?: TopicName[]; ephemeral?: boolean } = {},
): InProcessGroupConsumer {
  const consumer = new InProcessGroupConsumer(log, {
    groupId,
    topics: options.topics ?? [Topic.Events],
    ephemeral: options.ephemeral,
    backoff: new RetryBackoff(2, 10),
    handler: async (batch) => {
      await handler(batch);
    },
  });
  consumer.start();
  consumers.push(consumer);
  return consumer;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kairos-log-'));
  log = open();
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('InProcessLog', () => {
  it('places a keyed record on the partition the Java client would pick, in append order', () => {
    const users = Array.from({ length: 50 }, (_, i) => `user-${i}`);
    for (const user of users) {
      const [record] = append(Topic.Events, user, { user });
      expect(record?.partition).toBe(partitionForKey(user, PARTITIONS));
    }
    const first = append(Topic.Events, 'user-7', { n: 1 })[0]!;
    const second = append(Topic.Events, 'user-7', { n: 2 })[0]!;
    expect(second.partition).toBe(first.partition);
    expect(second.offset).toBe(first.offset + 1);
    expect(second.timestamp).toBe(1_000);
  });

  it('delivers each partition in offset order and commits only what the handler finished', async () => {
    const seen = new Map<string, number[]>();
    for (let n = 0; n < 100; n++) append(Topic.Events, `user-${n % 7}`, { n });
    consume('feature', (batch) => {
      for (const record of batch.records) {
        const list = seen.get(record.key!) ?? [];
        list.push((JSON.parse(record.value!.toString()) as { n: number }).n);
        seen.set(record.key!, list);
      }
    });
    await until(
      () => [...log.lag('feature', Topic.Events).values()].every((lag) => lag === 0),
      'lag 0',
    );
    for (const [key, ns] of seen) {
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(ns.every((n) => `user-${n % 7}` === key)).toBe(true);
    }
    expect([...seen.values()].flat()).toHaveLength(100);
    const total = [...log.lag('never', Topic.Events).values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(100);
  });

  it('redelivers a failed batch from the committed offset and never skips it', async () => {
    append(Topic.Events, 'user-1', { n: 1 });
    append(Topic.Events, 'user-1', { n: 2 });
    const partition = partitionForKey('user-1', PARTITIONS);
    let attempts = 0;
    const processed: string[] = [];
    consume('feature', (batch) => {
      attempts++;
      if (attempts === 1) {
        expect(log.committed('feature', Topic.Events, partition)).toBeUndefined();
        throw new Error('database down');
      }
      processed.push(...batch.records.map((record) => record.value!.toString()));
    });
    await until(() => log.committed('feature', Topic.Events, partition) === 2, 'the commit');
    expect(attempts).toBe(2);
    expect(processed).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('redelivers once the backoff timer fires, whatever the wall clock reads', async () => {
    // A timer can fire while Date.now() still reads just before the deadline it was set for
    // (CI caught a batch that was never retried that way). A frozen wall clock is the extreme.
    const frozen = jest.spyOn(Date, 'now').mockReturnValue(5_000);
    try {
      append(Topic.Events, 'user-2', { n: 1 });
      const partition = partitionForKey('user-2', PARTITIONS);
      let attempts = 0;
      consume('feature', () => {
        attempts++;
        if (attempts <= 2) throw new Error('database down');
      });
      await until(() => log.committed('feature', Topic.Events, partition) === 1, 'the commit');
      expect(attempts).toBe(3);
    } finally {
      frozen.mockRestore();
    }
  });

  it('moves poison records to <topic>.dlq with the error headers, byte for byte', async () => {
    const publisher = new InProcessPublisher(log);
    const dlq = new DeadLetterPublisher(publisher);
    const [poison] = log.append(Topic.Events, [
      { key: 'user-9', value: Buffer.from('{not json'), headers: { traceparent: 'tp-1' } },
    ]);
    consume('feature', async (batch) => {
      const inbound = toInboundBatch(batch);
      await dlq.send(
        Topic.EventsDlq,
        inbound.messages.map((message) => ({
          message,
          failure: { code: 'malformed_json', reason: 'Unexpected token' },
        })),
        2_000,
      );
    });
    await until(() => log.endOffset(Topic.EventsDlq, poison!.partition) === 1, 'the DLQ record');
    const [letter] = log.read(Topic.EventsDlq, poison!.partition, 0, 10);
    expect(letter?.key).toBe('user-9');
    expect(letter?.value?.toString()).toBe('{not json');
    expect(letter?.headers).toMatchObject({
      traceparent: 'tp-1',
      [DeadLetterHeader.ErrorCode]: 'malformed_json',
      [DeadLetterHeader.SourceTopic]: Topic.Events,
      [DeadLetterHeader.SourcePartition]: String(poison!.partition),
      [DeadLetterHeader.SourceOffset]: String(poison!.offset),
      [DeadLetterHeader.FailedAt]: '2000',
    });
    await until(() => log.committed('feature', Topic.Events, poison!.partition) === 1, 'commit');
  });

  it('splits partitions between members of a group, rebalances on leave, and feeds every group', async () => {
    const byMember = { a: [] as string[], b: [] as string[], other: [] as string[] };
    const a = consume('feature', (batch) => {
      byMember.a.push(...batch.records.map((r) => r.key!));
    });
    const b = consume('feature', (batch) => {
      byMember.b.push(...batch.records.map((r) => r.key!));
    });
    consume('audit', (batch) => {
      byMember.other.push(...batch.records.map((r) => r.key!));
    });
    expect([...a.assignment(), ...b.assignment()].sort()).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => `events/${p}`).sort(),
    );
    expect(a.assignment().filter((key) => b.assignment().includes(key))).toEqual([]);
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    for (const key of keys) append(Topic.Events, key, { key });
    await until(() => byMember.a.length + byMember.b.length === 40, 'the group');
    await until(() => byMember.other.length === 40, 'the second group');
    await b.stop();
    expect(a.assignment()).toHaveLength(PARTITIONS);
    for (const key of keys) append(Topic.Events, key, { key, again: true });
    await until(() => byMember.a.length + byMember.b.length === 80, 'the remaining member');
    expect(byMember.b).toHaveLength(40 - (byMember.a.length - 40));
  });

  it('keeps the latest record per key on a compacted topic, drops tombstoned keys, keeps offsets', () => {
    log.close();
    log = open(1_000);
    for (let round = 0; round < 1_000; round++) {
      for (let item = 0; item < 5; item++) append(Topic.ItemEmbeddings, `item-${item}`, { round });
    }
    append(Topic.ItemEmbeddings, 'item-4', null);
    log.close();
    log = open();
    const survivors = Array.from({ length: PARTITIONS }, (_, p) =>
      log.read(Topic.ItemEmbeddings, p, 0, 10_000),
    ).flat();
    expect(survivors.map((r) => r.key).sort()).toEqual(['item-0', 'item-1', 'item-2', 'item-3']);
    for (const record of survivors) expect(record.value?.toString()).toBe(`{"round":999}`);
    const partition = partitionForKey('item-0', PARTITIONS);
    expect(log.endOffset(Topic.ItemEmbeddings, partition)).toBeGreaterThan(
      log.read(Topic.ItemEmbeddings, partition, 0, 10_000).at(-1)!.offset,
    );
  });

  it('lets broadcast readers re-read a topic from the start without committing', async () => {
    append(Topic.Items, 'item-1', { v: 1 });
    append(Topic.Items, 'item-2', { v: 2 });
    const read: string[] = [];
    consume('broadcast-1', (batch) => void read.push(...batch.records.map((r) => r.key!)), {
      topics: [Topic.Items],
      ephemeral: true,
    });
    await until(() => read.length === 2, 'the broadcast reader');
    expect(log.committedSnapshot()).toEqual({});
  });
});

describe('InProcessLog durability', () => {
  it('keeps committed offsets and records across a restart', async () => {
    for (let n = 0; n < 10; n++) append(Topic.Events, `user-${n}`, { n });
    let count = 0;
    consume('feature', (batch) => void (count += batch.records.length));
    await until(() => count === 10, 'consumption');
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    const before = log.committedSnapshot();
    log.close();
    log = open(1_000);
    expect(log.committedSnapshot()).toEqual(before);
    expect([...log.lag('feature', Topic.Events).values()].every((lag) => lag === 0)).toBe(true);
    expect(
      log.read(Topic.Events, partitionForKey('user-3', PARTITIONS), 0, 100).map((r) => r.key),
    ).toContain('user-3');
  });

  it('truncates a torn tail at open and appends after the last whole record', () => {
    const partition = partitionForKey('user-1', PARTITIONS);
    append(Topic.Events, 'user-1', { n: 1 });
    append(Topic.Events, 'user-1', { n: 2 });
    log.close();
    const partitionDir = join(dir, 'log', Topic.Events, String(partition));
    const [segment] = readdirSync(partitionDir).filter((name) => name.endsWith('.log'));
    // A crash in the middle of a write: a frame header promising more bytes than were written.
    appendFileSync(join(partitionDir, segment!), Buffer.from([0, 0, 1, 0, 1, 2, 3, 4, 9, 9]));
    log = open();
    expect(log.recoveredTornBytes).toBe(10);
    expect(log.read(Topic.Events, partition, 0, 10).map((r) => r.value?.toString())).toEqual([
      '{"n":1}',
      '{"n":2}',
    ]);
    expect(append(Topic.Events, 'user-1', { n: 3 })[0]?.offset).toBe(2);
    log.close();
    log = open();
    expect(log.recoveredTornBytes).toBe(0);
    expect(log.read(Topic.Events, partition, 0, 10)).toHaveLength(3);
  });

  it('frees records every group is past (memory and whole segments) and keeps the end offset', () => {
    log.close();
    const single = join(dir, 'one-partition');
    const openSingle = () =>
      InProcessLog.open({ dir: single, partitions: 1, fsyncIntervalMs: 1_000, segmentBytes: 300 });
    log = openSingle();
    for (let n = 0; n < 30; n++) append(Topic.Events, `user-${n}`, { n });
    for (let n = 0; n < 5; n++) append(Topic.Items, `item-${n}`, { n });
    const segments = () => readdirSync(join(single, 'log', Topic.Events, '0')).length;
    const before = segments();
    log.commit('feature', Topic.Events, 0, 20);
    expect(log.trimConsumed({ ...log.committedSnapshot(), audit: { events: { '0': 25 } } })).toBe(
      20,
    );
    expect(log.read(Topic.Events, 0, 0, 100).map((r) => r.offset)[0]).toBe(20);
    expect(log.endOffset(Topic.Events, 0)).toBe(30);
    expect(segments()).toBeLessThan(before);
    // Compacted topics are read from the start by every replica: never trimmed.
    expect(log.read(Topic.Items, 0, 0, 100)).toHaveLength(5);
    log.close();
    log = openSingle();
    expect(log.endOffset(Topic.Events, 0)).toBe(30);
    const offsets = log.read(Topic.Events, 0, 0, 100).map((r) => r.offset);
    expect(offsets).toEqual(expect.arrayContaining([20, 25, 29]));
    expect(Math.min(...offsets)).toBeLessThanOrEqual(20);
    expect(append(Topic.Events, 'user-1', { n: 30 })[0]?.offset).toBe(30);
  });

  it('refuses a data directory locked by a live process and takes over a stale lock', () => {
    expect(() => open()).toThrow(DataDirectoryLockedError);
    log.close();
    // A lock left by a process that no longer exists (pid far above any live one).
    writeFileSync(join(dir, 'LOCK'), '2147483646');
    log = open();
    expect(log.isOpen).toBe(true);
  });

  it('refuses to reopen a log with another partition count', () => {
    log.close();
    expect(() =>
      InProcessLog.open({ dir, partitions: PARTITIONS + 1, fsyncIntervalMs: 0 }),
    ).toThrow(/created with 4 partitions/);
    log = open();
  });
});
