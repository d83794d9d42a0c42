/**
 * bench/embedded: throughput of the embedded mode's in-process log. Appends records keyed by
 * userId in publish-sized batches (placement, framing, checksums, the write to the OS), then
 * drains them through a consumer group (batch delivery + commit). The reference, measured in
 * the same run, is writing the same bytes to one file with the same batch size and fsync
 * policy: the floor any durable log on this disk pays. Prints a table and JSON; never passes or
 * fails on timing.
 *
 *   npm run bench:embedded -- [--runs 5] [--records 100000] [--batch 100] [--fsync-ms 1000]
 *   (--fsync-ms 0 = fsync every append, as KAIROS_FSYNC_INTERVAL_MS=0)
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Topic } from '@kairos/contracts';
import { InProcessGroupConsumer, InProcessLog } from '@kairos/messaging';
import { machineDescription, summarizeRuns } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    records: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '100' },
    'fsync-ms': { type: 'string', default: '1000' },
  },
});
const RUNS = Number(args.runs);
const RECORDS = Number(args.records);
const BATCH = Number(args.batch);
const FSYNC_MS = Number(args['fsync-ms']);

function batches(): Array<Array<{ key: string; value: Buffer; headers: Record<string, string> }>> {
  const all = [];
  for (let start = 0; start < RECORDS; start += BATCH) {
    const batch = [];
    for (let n = start; n < Math.min(RECORDS, start + BATCH); n++) {
      const userId = `user-${n % 10_000}`;
      const value = Buffer.from(
        JSON.stringify({ eventId: `e-${n}`, userId, itemId: `item-${n % 1500}`, type: 'click' }),
      );
      batch.push({ key: userId, value, headers: { 'kairos-event-id': `e-${n}` } });
    }
    all.push(batch);
  }
  return all;
}

async function runOnce(input: ReturnType<typeof batches>): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'kairos-log-bench-'));
  try {
    const log = InProcessLog.open({ dir, partitions: 12, fsyncIntervalMs: FSYNC_MS });
    const appendStart = performance.now();
    for (const batch of input) log.append(Topic.Events, batch);
    const appendSeconds = (performance.now() - appendStart) / 1_000;

    const consumeStart = performance.now();
    let consumed = 0;
    const done = new Promise<void>((resolve) => {
      const consumer = new InProcessGroupConsumer(log, {
        groupId: 'bench',
        topics: [Topic.Events],
        handler: (batch) => {
          consumed += batch.records.length;
          if (consumed === RECORDS) setImmediate(() => void consumer.stop().then(resolve));
          return Promise.resolve();
        },
      });
      consumer.start();
    });
    await done;
    const consumeSeconds = (performance.now() - consumeStart) / 1_000;
    log.close();

    // Reference: the same bytes (roughly: the JSON values plus 40 bytes of framing each) to one file.
    const frames = input.map((batch) =>
      Buffer.concat(batch.map((record) => Buffer.concat([Buffer.alloc(40), record.value]))),
    );
    const fd = openSync(join(dir, 'reference.bin'), 'a');
    const referenceStart = performance.now();
    let lastSync = referenceStart;
    for (const frame of frames) {
      writeSync(fd, frame);
      if (FSYNC_MS === 0 || performance.now() - lastSync >= FSYNC_MS) {
        fsyncSync(fd);
        lastSync = performance.now();
      }
    }
    fsyncSync(fd);
    const referenceSeconds = (performance.now() - referenceStart) / 1_000;
    closeSync(fd);
    return {
      'append records/s': RECORDS / appendSeconds,
      'consume+commit records/s': RECORDS / consumeSeconds,
      'reference file writes records/s': RECORDS / referenceSeconds,
      'append / reference': referenceSeconds / appendSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `in-process log: ${RECORDS} records in batches of ${BATCH}, fsync every ${FSYNC_MS === 0 ? 'append' : `${FSYNC_MS} ms`}, ${RUNS} runs on ${machineDescription()}`,
  );
  const input = batches();
  const runs: Array<Record<string, number>> = [];
  for (let run = 0; run < RUNS; run++) runs.push(await runOnce(input));
  const summary = summarizeRuns(runs);
  console.log(
    JSON.stringify({ records: RECORDS, batch: BATCH, fsyncMs: FSYNC_MS, median: summary }),
  );
}

void main();
