/**
 * bench/soak: the whole pipeline (ingest, feature, recommender as processes on the real broker and
 * MongoDB-protocol server) at a fraction of its measured end-to-end capacity for several minutes.
 * Prints per minute the load, ingest and GET p99, both consumer groups' lag and each app's RSS,
 * then RSS growth, p99 drift and whether every accepted event was counted exactly once. Not a
 * test: it never passes or fails on numbers (not in CI; `npm run test:chaos` is).
 *
 *   npm run soak -- [--minutes 10] [--load 0.5] [--capacity-events 20000] [--users 2000] [--get-rate 20]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppName } from '@kairos/config';
import { type UserTruth } from '../../test/support/click-stream';
import { eventually } from '../../test/support/infra';
import { ChaosStack } from '../../test/chaos/support/chaos-stack';
import { clientStream } from '../../test/chaos/support/client-stream';
import { ResilientSender, truthOfAccepted } from '../../test/chaos/support/resilient-sender';
import { formatTable, machineDescription, percentile } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    load: { type: 'string', default: '0.5' },
    'capacity-events': { type: 'string', default: '20000' },
    users: { type: 'string', default: '2000' },
    'get-rate': { type: 'string', default: '20' },
  },
});
const MINUTES = Number(args.minutes);
const LOAD = Number(args.load);
const CAPACITY_EVENTS = Number(args['capacity-events']);
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
  readonly rssMb: Record<AppName, number>;
}

/** Resident set size of a process, from /proc (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1_024;
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

/**
 * Events per second the whole pipeline turns into recommendations: a burst sent as fast as ingest
 * takes it, timed until both consumer groups have committed everything.
 */
async function measureCapacity(stack: ChaosStack, truth: Map<string, UserTruth>): Promise<number> {
  const events = clientStream(CAPACITY_EVENTS, USERS, `${RUN}c`, {
    userPrefix: RUN,
    startMs: Date.now() - 3_600_000,
    spanMs: 3_000_000,
  });
  const started = performance.now();
  const outcome = await new ResilientSender({ ingestUrl: stack.ingestUrl, lanes: 8 }).send(events);
  const accepted = performance.now();
  let reported = accepted;
  await eventually(
    async () => {
      const lag = await stack.totalLag();
      if (performance.now() - reported > 10_000) {
        reported = performance.now();
        console.log(`capacity burst: ${outcome.accepted.size} accepted, lag ${lag}`);
      }
      return lag === 0 ? true : undefined;
    },
    { timeoutMs: 30 * 60_000, intervalMs: 250, what: 'the capacity burst to drain' },
  );
  console.log(
    `capacity burst: ${outcome.accepted.size} events accepted in ${((accepted - started) / 1_000).toFixed(1)} s, drained after ${((performance.now() - started) / 1_000).toFixed(1)} s`,
  );
  merge(truth, truthOfAccepted(outcome.accepted));
  return outcome.accepted.size / ((performance.now() - started) / 1_000);
}

async function main(): Promise<void> {
  const stack = new ChaosStack('soak');
  await stack.start();
  try {
    const truth = new Map<string, UserTruth>();
    const capacity = await measureCapacity(stack, truth);
    const rate = Math.max(1, Math.round(capacity * LOAD));
    console.log(
      `capacity ${capacity.toFixed(0)} events/s end to end; soaking at ${rate}/s (${LOAD * 100}%) for ${MINUTES} min on ${machineDescription()}`,
    );
    const reader = startReader(stack, () => [...truth.keys()]);
    const samples: MinuteSample[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      const ingestLatencies: number[] = [];
      const events = clientStream(rate * 60, USERS, `${RUN}m${minute}`, {
        seed: minute,
        userPrefix: RUN,
        startMs: Date.now() - 60_000,
        spanMs: 60_000,
      });
      const started = performance.now();
      const outcome = await new ResilientSender({
        ingestUrl: stack.ingestUrl,
        ratePerSecond: rate,
        lanes: 8,
        batchSize: 50,
        onResponse: (ms) => ingestLatencies.push(ms),
      }).send(events);
      merge(truth, truthOfAccepted(outcome.accepted));
      const gets = reader.take();
      const sample: MinuteSample = {
        minute,
        eventsPerSecond: outcome.accepted.size / ((performance.now() - started) / 1_000),
        ingestP99Ms: percentile(ingestLatencies, 0.99),
        getP99Ms: percentile(gets.latencies, 0.99),
        getErrors: gets.errors,
        lag: await stack.totalLag(),
        rssMb: Object.fromEntries(
          APPS.map((app) => [app, rssMb(stack.instances(app)[0]?.child.pid)]),
        ) as Record<AppName, number>,
      };
      samples.push(sample);
      console.log(formatTable([row(sample)]));
    }
    await reader.stop();
    const drainStarted = performance.now();
    await stack.waitForSessions(truth, 10 * 60_000).catch(() => undefined);
    await eventually(async () => ((await stack.totalLag()) === 0 ? true : undefined), {
      timeoutMs: 10 * 60_000,
      intervalMs: 250,
      what: 'both consumer groups to catch up',
    }).catch(() => undefined);
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
    ...Object.fromEntries(APPS.map((app) => [`RSS ${app} MB`, sample.rssMb[app]])),
  };
}

function report(
  capacity: number,
  rate: number,
  samples: readonly MinuteSample[],
  end: { drainSeconds: number; lost: number; doubleCounted: number; lag: number },
): void {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return;
  console.log(
    `\nsoak: ${samples.length} min at ${rate} events/s (${LOAD * 100}% of ${capacity.toFixed(0)}/s)\n`,
  );
  console.log(formatTable(samples.map(row)));
  const change = (from: number, to: number) => ({
    first: from,
    last: to,
    change: `${to - from >= 0 ? '+' : ''}${(to - from).toFixed(1)} (x${(to / from).toFixed(2)})`,
  });
  console.log(
    `\n${formatTable([
      ...APPS.map((app) => ({
        metric: `RSS ${app} MB`,
        ...change(first.rssMb[app], last.rssMb[app]),
      })),
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
