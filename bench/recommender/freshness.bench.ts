/**
 * bench/recommender/freshness: POST /v1/events on ingest → events → feature → session-features
 * → recommender → GET reflecting it, on the real broker and MongoDB-protocol server, for 1,000
 * events at 200 events/s over a few hundred users. Freshness per event = computedAt of the first
 * list reflecting it − its POST time (same clock); the time a GET first showed it is reported
 * too. Reference in the same run: the raw kafkajs produce → consume round trip at the same rate.
 * Auth off (KAIROS_AUTH=off). Never pass/fail.
 *
 *   npm run bench:recommender:freshness -- [--runs 3] [--events 1000] [--rate 200] [--users 300]
 *     [--cpu-prof-dir DIR]   (CPU profiles of the three app processes, one file per process)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppProcess, cpuProfileFlags, startAppProcess } from '../../test/support/app-process';
import { metricValue } from '../../test/support/metrics';
import { machineDescription, summarizeRuns } from '../support/stats';
import { processCpuSeconds } from '../support/process-cpu';
import { firstPort, listenerPid } from '../support/listener-pid';
import { type BenchScope, benchScope } from './support/bench-scope';
import { type FreshnessProbe } from './support/freshness-probe';
import { FRESHNESS_OPTIONS, freshnessSettings, runFreshness } from './support/freshness-run';
import { kafkaRoundTrip } from './support/kafka-round-trip';
import { summarizeLatencies } from './support/latency';
import { writeRandomModelVersion } from './support/random-model';
import { SessionFeaturesTap } from './support/session-features-tap';

const { values: args } = parseArgs({
  options: {
    ...FRESHNESS_OPTIONS,
    'base-port': { type: 'string', default: '3921' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const {
  runs: RUNS,
  events: EVENTS,
  rate: RATE,
  users: USERS,
  items: ITEMS,
  polling: PROBE,
} = freshnessSettings(args);
const BASE_PORT = Number(args['base-port']);
/** Node flags of every app process: a CPU profile each, written when the process exits. */
const NODE_ARGS = cpuProfileFlags(args['cpu-prof-dir']);

async function run(index: number, modelRoot: string, vocabulary: readonly string[]) {
  const scope = benchScope('recommender-fresh', index);
  const reference = await kafkaRoundTrip({
    config: scope.config('recommender'),
    topicPrefix: `${scope.prefix}round-trip.`,
    count: EVENTS,
    ratePerSecond: RATE,
  });
  const env = scope.appEnv({ MODEL_DIR: modelRoot, MODEL_SMOKE_TIMEOUT_MS: '30000' });
  const apps: AppProcess[] = [];
  let tap: SessionFeaturesTap | undefined;
  try {
    const recommender = await startAppProcess('recommender', env, BASE_PORT + 2, NODE_ARGS);
    apps.push(recommender);
    const feature = await startAppProcess('feature', env, BASE_PORT + 1, NODE_ARGS);
    apps.push(feature);
    const ingest = await startAppProcess('ingest', env, BASE_PORT, NODE_ARGS);
    apps.push(ingest);
    tap = new SessionFeaturesTap(scope.config('recommender'));
    await tap.start();

    const processes = measuredProcesses(scope, { recommender, feature, ingest });
    const started = performance.now();
    let measuring: CpuSnapshot | undefined;
    const probe = await runFreshness({
      ingestUrl: ingest.baseUrl,
      recommenderUrl: recommender.baseUrl,
      vocabulary,
      rate: RATE,
      users: USERS,
      events: EVENTS,
      polling: PROBE,
      onMeasuring: (warmUpPending) => {
        if (warmUpPending > 0) throw new Error(`warm-up: ${warmUpPending} pending`);
        measuring = cpuSnapshot(processes);
        process.stdout.write(`run ${index}/${RUNS}: ${EVENTS} events at ${RATE}/s...`);
      },
    });
    console.log(` ${probe.tracker.pending} never reflected`);
    const cpu = cpuShares(measuring, cpuSnapshot(processes));
    // Over the whole run (its warm-up included), as are the counters.
    const runSeconds = (performance.now() - started) / 1_000;
    const checkpoints = await checkpointStats(recommender.baseUrl);
    const reflections = probe.tracker.reflections();
    const computed = summarizeLatencies(reflections.map((r) => r.computedMs));
    const observed = summarizeLatencies(reflections.map((r) => r.observedMs));
    const stages = stageSplit(probe, tap);
    return {
      kafkaRoundTripP50Ms: reference.p50,
      kafkaRoundTripP99Ms: reference.p99,
      freshnessP50Ms: computed.p50,
      freshnessP99Ms: computed.p99,
      freshnessMaxMs: computed.max,
      observedGetP50Ms: observed.p50,
      observedGetP99Ms: observed.p99,
      p99ToKafkaRoundTripP99: computed.p99 / reference.p99,
      featureStageP50Ms: stages.feature.p50,
      featureStageP99Ms: stages.feature.p99,
      recommenderStageP50Ms: stages.recommender.p50,
      recommenderStageP99Ms: stages.recommender.p99,
      // Write-behind of learned embeddings during the run: it shares the storage server with
      // the list and session writes on the path being measured.
      checkpoints: checkpoints.count,
      checkpointSecondsPerMinute: (60 * checkpoints.seconds) / runSeconds,
      // The measured stream only: how busy the two cores were, and what the probe itself took.
      probeGetsPerSecond: probe.gets / cpu.seconds,
      ...cpu.percentOfCore,
      eventsReflected: computed.count,
      eventsNeverReflected: probe.tracker.pending,
    };
  } finally {
    await tap?.stop();
    for (const app of apps.reverse()) await app.stop();
    await scope.dropDatabase();
  }
}

interface CpuSnapshot {
  readonly at: number;
  readonly bench: NodeJS.CpuUsage;
  readonly processes: ReadonlyMap<string, number>;
}

/**
 * The processes sharing the machine's cores during a run: the three apps, and the broker and
 * database behind the scope's addresses when they run on this machine.
 */
function measuredProcesses(
  scope: BenchScope,
  apps: Readonly<Record<string, AppProcess>>,
): Record<string, number | undefined> {
  const local = (port: number | undefined) => (port === undefined ? undefined : listenerPid(port));
  return {
    ...Object.fromEntries(Object.entries(apps).map(([app, { child }]) => [app, child.pid])),
    kafka: local(firstPort(scope.kafkaBrokers)),
    mongo: local(firstPort(scope.mongoUri)),
  };
}

function cpuSnapshot(pids: Readonly<Record<string, number | undefined>>): CpuSnapshot {
  return {
    at: performance.now(),
    bench: process.cpuUsage(),
    processes: new Map(
      Object.entries(pids).flatMap(([name, pid]) =>
        pid === undefined ? [] : [[name, processCpuSeconds(pid)] as const],
      ),
    ),
  };
}

/** CPU % of one core per process between two snapshots (200% is both cores of these machines). */
function cpuShares(from: CpuSnapshot | undefined, to: CpuSnapshot) {
  if (from === undefined) throw new Error('the measured stream never started');
  const seconds = (to.at - from.at) / 1_000;
  const percent = (cpuSeconds: number) => (100 * cpuSeconds) / seconds;
  const bench = process.cpuUsage(from.bench);
  const percentOfCore: Record<string, number> = {
    benchCpuPercent: percent((bench.user + bench.system) / 1e6),
  };
  let total = percentOfCore.benchCpuPercent ?? 0;
  for (const [name, cpuSeconds] of to.processes) {
    const share = percent(cpuSeconds - (from.processes.get(name) ?? cpuSeconds));
    percentOfCore[`${name}CpuPercent`] = share;
    total += share;
  }
  return { seconds, percentOfCore: { ...percentOfCore, totalCpuPercent: total } };
}

/** Embedding checkpoints so far and the seconds they took, from the recommender's /metrics. */
async function checkpointStats(baseUrl: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string): number => metricValue(text, name) ?? Number.NaN;
  return {
    count: value('kairos_recommender_embedding_checkpoint_seconds_count'),
    seconds: value('kairos_recommender_embedding_checkpoint_seconds_sum'),
  };
}

/**
 * Where the time goes, over events that got a snapshot of their own: POST → snapshot published
 * on session-features (ingest + events topic + feature), then published → list computed
 * (session-features topic + recommender).
 */
function stageSplit(probe: FreshnessProbe, tap: SessionFeaturesTap) {
  const feature: number[] = [];
  const recommender: number[] = [];
  for (const event of probe.tracker.events()) {
    const published = tap.publishedAt(event.eventId);
    if (published === undefined || event.reflection === undefined) continue;
    feature.push(published - event.postedAt);
    recommender.push(event.postedAt + event.reflection.computedMs - published);
  }
  return { feature: summarizeLatencies(feature), recommender: summarizeLatencies(recommender) };
}

async function main(): Promise<void> {
  console.log(
    `bench/recommender/freshness on ${machineDescription()}; ${RUNS} runs, ${EVENTS} events at ${RATE}/s over ${USERS} users, ${ITEMS}-item model; auth off`,
  );
  const model = writeRandomModelVersion({ items: ITEMS, dimension: 64 });
  const runs: Array<Record<string, number>> = [];
  try {
    for (let index = 1; index <= RUNS; index++) {
      runs.push(await run(index, model.modelRoot, model.vocabulary));
    }
  } finally {
    rmSync(model.modelRoot, { recursive: true, force: true });
  }
  const summary = summarizeRuns(runs);
  const targets = { 'freshness p99 <= 250 ms': (summary.freshnessP99Ms ?? Infinity) <= 250 };
  console.log('targets (informational, not a pass/fail test):', targets);
  const report = {
    benchmark: 'recommender-freshness',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, EVENTS, RATE, USERS, ITEMS, PROBE, auth: 'off' },
    runs,
    median: summary,
    targets,
  };
  const results = resolve(__dirname, '../results');
  mkdirSync(results, { recursive: true });
  writeFileSync(resolve(results, 'recommender-freshness.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
