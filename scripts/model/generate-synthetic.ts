import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ProgressBar, generateSyntheticData } from '@kairos/model-training';
import { UsageError, integerOption, numberOption, runCli } from './cli-options';

const USAGE = `Usage: npm run generate:synthetic -- --out <events.jsonl> [options]

Writes seeded synthetic interactions as kairos-jsonl (time-ordered, one event per line) and,
with --catalog, the matching item catalog as JSONL (itemId + the PUT /v1/items body fields).
Zipf-like popularity, items in category clusters browsed along item chains, users with 1-3
preferred categories, sessions split by 30-minute inactivity gaps.

  --out <file>          events output (kairos-jsonl)
  --catalog <file>      also write the catalog (JSONL)
  --events <n>          number of events (default 1000000)
  --users <n>           number of users (default 50000)
  --items <n>           number of items (default 5000)
  --clusters <n>        number of item clusters / categories (default 12)
  --seed <n>            seed (default 42); the same seed writes the same bytes
  --start <iso>         time of the first session (default 2026-01-01T00:00:00Z)
  --span-days <x>       days over which sessions start (default 30)
  --help                show this help
`;

/** Lines are gathered into chunks of about this size before each write. */
const WRITE_CHUNK_CHARS = 1 << 20;

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      catalog: { type: 'string' },
      events: { type: 'string' },
      users: { type: 'string' },
      items: { type: 'string' },
      clusters: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'span-days': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.out === undefined) throw new UsageError('--out is required');
  const startTime = values.start === undefined ? undefined : Date.parse(values.start);
  if (startTime !== undefined && Number.isNaN(startTime)) {
    throw new UsageError(`--start must be an ISO-8601 date-time, got "${values.start}"`);
  }
  const options = {
    events: integerOption(values.events, 'events', 1_000_000),
    users: integerOption(values.users, 'users', 50_000),
    items: integerOption(values.items, 'items', 5_000),
    clusters: integerOption(values.clusters, 'clusters', 12),
    seed: integerOption(values.seed, 'seed', 42, 0),
    spanDays: numberOption(values['span-days'], 'span-days', 30),
    ...(startTime === undefined ? {} : { startTime }),
  };
  const startedAt = Date.now();
  const data = generateSyntheticData(options);
  if (values.catalog !== undefined) {
    mkdirSync(dirname(values.catalog), { recursive: true });
    writeFileSync(
      values.catalog,
      data.catalog.items.map((item) => `${JSON.stringify(item)}\n`).join(''),
    );
    process.stderr.write(`wrote ${data.catalog.items.length} items to ${values.catalog}\n`);
  }

  mkdirSync(dirname(values.out), { recursive: true });
  const file = openSync(values.out, 'w');
  const bar = new ProgressBar('generating');
  try {
    let chunk = '';
    let written = 0;
    for (const event of data.events()) {
      chunk += `${JSON.stringify(event)}\n`;
      if (++written % 50_000 === 0) bar.update(written, options.events);
      if (chunk.length >= WRITE_CHUNK_CHARS) {
        writeSync(file, chunk);
        chunk = '';
      }
    }
    writeSync(file, chunk);
    bar.update(written, options.events);
    bar.finish();
  } finally {
    closeSync(file);
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(`wrote ${options.events} events to ${values.out} in ${seconds}s\n`);
}

runCli(main, USAGE);
