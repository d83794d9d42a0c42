/**
 * What validating one input costs, per DTO the hot paths validate: a `POST /v1/events` body
 * (IngestEventDto, ingest) and a `session-features` record with a 50-event window
 * (SessionFeaturesRecord, recommender). Reference: `JSON.parse` of the same bytes, in the same
 * run. validateDto (reserved keys, then acceptFast) stands next to the full class-validator path
 * it takes for anything acceptFast does not vouch for. Prints the median of `--runs` timed loops per variant; nothing passes or fails.
 *
 *   npm run bench:validation -- [--runs 7] [--ms 400]
 */
import 'reflect-metadata';
import {
  acceptFast,
  findReservedKey,
  IngestEventDto,
  SessionFeaturesRecord,
  validateDto,
  VALIDATOR_OPTIONS,
} from '@kairos/contracts';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sessionFeaturesFor } from '../recommender/support/session-features-feed';
import { machineDescription, median, printTable } from '../support/stats';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, ms: { type: 'string', default: '400' } },
});
const runs = Number(args.runs);
const loopMs = Number(args.ms);

const vocabulary = Array.from({ length: 2_000 }, (_, i) => `item-${i}`);
interface Input {
  readonly name: string;
  readonly dto: ClassConstructor<object>;
  readonly bytes: Buffer;
}

const inputs: Input[] = [
  {
    name: 'ingest event',
    dto: IngestEventDto,
    bytes: Buffer.from(
      JSON.stringify({
        eventId: 'e-0192f5e4-7b1c-7cc3',
        userId: 'user-42',
        itemId: 'sku-1234',
        type: 'click',
        timestamp: '2026-11-22T10:15:30.000Z',
        sessionId: 's-77',
        context: { page: 'home', device: 'mobile' },
      }),
    ),
  },
  {
    name: 'session-features (50 events)',
    dto: SessionFeaturesRecord,
    bytes: Buffer.from(JSON.stringify(sessionFeaturesFor(7, vocabulary, 50))),
  },
];

/** Microseconds per call of `fn`, timed over a loop of about `loopMs`. */
function microsPerCall(fn: () => unknown): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(loopMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1_000 / calls;
}

console.log(`bench/validation on ${machineDescription()}; median of ${runs} runs of ~${loopMs} ms`);
const report: Record<string, Record<string, { micros: number; ratio: number }>> = {};
for (const input of inputs) {
  const parse = (): unknown => JSON.parse(input.bytes.toString('utf8'));
  const variants: Record<string, () => unknown> = {
    'JSON.parse (reference)': parse,
    'parse + findReservedKey': () => findReservedKey(parse()),
    'parse + plainToInstance': () => plainToInstance(input.dto, parse()),
    // What validateDto did before acceptFast, and still does for what acceptFast leaves alone.
    'parse + full class-validator path': () => {
      const plain = parse();
      if (findReservedKey(plain) !== null) throw new Error('reserved key');
      return validateSync(plainToInstance(input.dto, plain), VALIDATOR_OPTIONS);
    },
    'parse + acceptFast': () => {
      if (acceptFast(input.dto, parse() as object) === undefined)
        throw new Error(`${input.name} was not fast-accepted`);
    },
    'parse + validateDto': () => {
      const result = validateDto(input.dto, parse());
      if (!('value' in result)) throw new Error(`${input.name} was refused`);
      return result;
    },
  };
  const samples = new Map<string, number[]>();
  for (let run = 0; run < runs; run++) {
    // Interleaved, so drift on a shared machine hits every variant alike.
    for (const [name, fn] of Object.entries(variants)) {
      samples.set(name, [...(samples.get(name) ?? []), microsPerCall(fn)]);
    }
  }
  const reference = median(samples.get('JSON.parse (reference)') ?? []);
  const rows = [...samples].map(([variant, list]) => ({
    variant,
    micros: median(list),
    ratio: median(list) / reference,
  }));
  report[input.name] = Object.fromEntries(
    rows.map(({ variant, micros, ratio }) => [variant, { micros, ratio }]),
  );
  console.log(`\n${input.name} (${input.bytes.length} bytes)`);
  printTable(
    rows.map(({ variant, micros, ratio }) => ({
      variant,
      'µs per call': micros.toFixed(2),
      'x JSON.parse': ratio.toFixed(1),
    })),
  );
}
const out = resolve(__dirname, '../results/validation.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ machine: machineDescription(), runs, report }, null, 2));
console.log(`\nwritten to ${out}`);
