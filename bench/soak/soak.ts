/**
 * bench/soak: the whole pipeline (ingest, feature, recommender as processes on the real broker and
 * MongoDB-protocol server) at a fraction of its measured sustained capacity for several minutes.
 * Prints per minute the load, ingest and GET p99, both consumer groups' lag and each app's RSS,
 * heap low (lowest heapUsed of the minute) and external memory, then RSS and heap growth, p99
 * drift and whether every accepted event was counted exactly once. Not a test: it never passes
 * or fails on numbers (not in CI; `npm run test:chaos` is).
 *
 *   npm run soak -- [--minutes 10] [--load 0.5] [--capacity-events 20000] [--probe-seconds 60]
 *                   [--max-probes 5] [--users 2000] [--get-rate 20] [--rate <events/s>]
 *
 * `--rate` soaks at that rate and skips the capacity phase (for diagnosis runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppName } from '@kairos/config';
import { type UserTruth } from '../../test/support/click-stream';
import { ChaosStack } from '../../test/chaos/support/chaos-stack';
import { type SendOutcome, truthOfAccepted } from '../../test/chaos/support/resilient-sender';
import { formatTable, machineDescription, percentile } from '../support/stats';
import { AppMemoryWatch, type MinuteMemory } from './app-memory';
import {
  measureSustainedCapacity,
  sendPaced,
  type SustainedCapacity,
  waitForNoLag,
} from './capacity';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    load: { type: 'string', default: '0.5' },
    'capacity-events': { type: 'string', default: '20000' },
    'probe-seconds': { type: 'string', default: '60' },
    'max-probes': { type: 'string', default: '5' },
    users: { type: 'string', default: '2000' },
    'get-rate': { type: 'string', default: '20' },
    rate: { type: 'string' },
  },
});
const MINUTES = Number(args.minutes);
const LOAD = Number(args.load);
const USERS = Number(args.users);
const GET_RATE = Number(args['get-rate']);
const APPS: readonly AppName[] = ['ingest', 'feature', 'recommender'];
const RUN = `soak${Date.now().toString(36)}`;

interface MinuteSample {
  readonly minute: number;
  readonly eventsPerSecond: number;
  readonly ingestP99Ms: number;
  readonly getP99Ms: number;
  readonly getErrors: number;
  readonly lag: number;
  readonly memory: Record<AppName, MinuteMemory>;
}

function merge(into: Map<string, UserTruth>, from: ReadonlyMap<string, UserTruth>): void {
  for (const [userId, user] of from) {
    const total = into.get(userId) ?? { total: 0, byType: {} };
    total.total += user.total;
    for (const [type, count] of Object.entries(user.byType) as Array<
      [keyof UserTruth['byType'], number]
    >)
      total.byType[type] = (total.byType[type] ?? 0) + count;
    into.set(userId, total);
  }
}

/** Paced GETs of recommendations for users seen so far; latencies and failures. */
function startReader(stack: ChaosStack, users: () => readonly string[]) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const started = performance.now();
      const known = users();
      const userId = known[(i * 7_919) % Math.max(1, known.length)] ?? 'nobody';
      const recommender = stack.instances('recommender')[0];
      try {
        const response = await fetch(`${recommender?.baseUrl}/v1/recommendations/${userId}?k=10`);
        await response.arrayBuffer();
        if (response.status !== 200) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
      await new Promise((done) =>
        setTimeout(done, Math.max(0, 1_000 / GET_RATE - (performance.now() - started))),
      );
    }
  })();
  return {
    /** Latencies and errors since the last call. */
    take: () => {
      const taken = { latencies: latencies.splice(0), errors };
      errors = 0;
      return taken;
    },
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** `--rate`: soak at exactly this rate, as if it were the --load share of a capacity. */
function givenRate(rate: number): SustainedCapacity {
  return {
    eventsPerSecond: rate / LOAD,
    burstEventsPerSecond: Number.NaN,
    steps: [],
    method: `not measured: --rate ${rate}`,
  };
}

async function main(): Promise<void> {
  const stack = new ChaosStack('soak');
  await stack.start();
  try {
    const truth = new Map<string, UserTruth>();
    const accepted = (outcome: SendOutcome) => merge(truth, truthOfAccepted(outcome.accepted));
    const capacity =
      args.rate === undefined
        ? await measureSustainedCapacity(stack, {
            burstEvents: Number(args['capacity-events']),
            probeSeconds: Number(args['probe-seconds']),
            maxProbes: Number(args['max-probes']),
            users: USERS,
            run: RUN,
            onAccepted: accepted,
          })
        : givenRate(Number(args.rate));
    const rate = Math.max(1, Math.round(capacity.eventsPerSecond * LOAD));
    const settled = await waitForNoLag(stack, 'the capacity probes to drain');
    console.log(
      `capacity ${capacity.eventsPerSecond} events/s end to end, ${capacity.method}; lag 0 ${settled.toFixed(0)} s later; soaking at ${rate}/s (${LOAD * 100}%) for ${MINUTES} min on ${machineDescription()}`,
    );
    const reader = startReader(stack, () => [...truth.keys()]);
    const memory = new AppMemoryWatch((app) => stack.instances(app)[0]?.baseUrl, APPS);
    await memory.take(); // starts every app's first minute now, not at boot
    memory.start();
    const samples: MinuteSample[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      const ingestLatencies: number[] = [];
      const { outcome, seconds } = await sendPaced(stack, {
        rate,
        seconds: 60,
        users: USERS,
        run: RUN,
        label: `${RUN}m${minute}`,
        seed: minute,
        onResponse: (ms) => ingestLatencies.push(ms),
      });
      accepted(outcome);
      const gets = reader.take();
      const sample: MinuteSample = {
        minute,
        eventsPerSecond: outcome.accepted.size / seconds,
        ingestP99Ms: percentile(ingestLatencies, 0.99),
        getP99Ms: percentile(gets.latencies, 0.99),
        getErrors: gets.errors,
        lag: await stack.totalLag(),
        memory: await memory.take(),
      };
      samples.push(sample);
      console.log(`${formatTable([row(sample)])}\n${formatTable(memoryRows([sample]))}`);
    }
    await reader.stop();
    await memory.stop();
    const drainStarted = performance.now();
    await stack.waitForSessions(truth, 10 * 60_000).catch(() => undefined);
    await waitForNoLag(stack, 'both consumer groups to catch up').catch(() => undefined);
    const drainSeconds = (performance.now() - drainStarted) / 1_000;
    const sessions = await stack.compareSessions(truth);
    report(capacity, rate, samples, {
      drainSeconds,
      lost: sessions.lost,
      doubleCounted: sessions.doubleCounted,
      lag: await stack.totalLag(),
    });
  } finally {
    await stack.stop();
  }
}

function row(sample: MinuteSample): Record<string, string | number> {
  return {
    minute: sample.minute,
    'events/s': sample.eventsPerSecond,
    'ingest p99 ms': sample.ingestP99Ms,
    'GET p99 ms': sample.getP99Ms,
    'GET errors': sample.getErrors,
    lag: sample.lag,
    ...Object.fromEntries(
      APPS.map((app) => [`RSS ${app} MB`, Math.round(sample.memory[app].rssMb)]),
    ),
  };
}

/** One row per minute and app: where the RSS is (V8 heap reserved, live heap, C++ memory). */
function memoryRows(samples: readonly MinuteSample[]): Array<Record<string, string | number>> {
  return samples.flatMap((sample) =>
    APPS.map((app) => {
      const memory = sample.memory[app];
      return {
        minute: sample.minute,
        app,
        'RSS MB': Math.round(memory.rssMb),
        'heap total MB': Math.round(memory.heapTotalMb),
        'heap low MB': Math.round(memory.heapLowMb),
        'heap high MB': Math.round(memory.heapHighMb),
        'external MB': Math.round(memory.externalMb),
      };
    }),
  );
}

function report(
  capacity: SustainedCapacity,
  rate: number,
  samples: readonly MinuteSample[],
  end: { drainSeconds: number; lost: number; doubleCounted: number; lag: number },
): void {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return;
  console.log(`\ncapacity probes (${capacity.method}):\n`);
  console.log(formatTable(capacity.steps.map((step, i) => ({ probe: i + 1, ...step }))));
  console.log(
    `\nsoak: ${samples.length} min at ${rate} events/s (${LOAD * 100}% of ${capacity.eventsPerSecond}/s)\n`,
  );
  console.log(formatTable(samples.map(row)));
  console.log(
    `\nmemory per app (heap low: lowest heapUsed scraped every 5 s in the minute, the live heap after GC as far as /metrics shows it):\n`,
  );
  console.log(formatTable(memoryRows(samples)));
  const change = (from: number, to: number) => ({
    first: from,
    last: to,
    change: `${to - from >= 0 ? '+' : ''}${(to - from).toFixed(1)} (x${(to / from).toFixed(2)})`,
  });
  console.log(
    `\n${formatTable([
      ...APPS.flatMap((app) => [
        { metric: `RSS ${app} MB`, ...change(first.memory[app].rssMb, last.memory[app].rssMb) },
        {
          metric: `heap total ${app} MB`,
          ...change(first.memory[app].heapTotalMb, last.memory[app].heapTotalMb),
        },
        {
          metric: `heap low ${app} MB`,
          ...change(first.memory[app].heapLowMb, last.memory[app].heapLowMb),
        },
      ]),
      { metric: 'ingest p99 ms', ...change(first.ingestP99Ms, last.ingestP99Ms) },
      { metric: 'GET p99 ms', ...change(first.getP99Ms, last.getP99Ms) },
      { metric: 'lag at minute end', ...change(first.lag, last.lag) },
    ])}\n`,
  );
  console.log(
    `after the load: lag 0 after ${end.drainSeconds.toFixed(1)} s (now ${end.lag}); lost ${end.lost}, double counted ${end.doubleCounted}`,
  );
  const dir = resolve(__dirname, '../results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ machine: machineDescription(), capacity, rate, load: LOAD, samples, end }, null, 2)}\n`,
  );
  console.log(`JSON: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
