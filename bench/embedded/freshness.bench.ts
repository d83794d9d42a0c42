/**
 * bench/embedded/freshness: POST → GET reflecting it (freshness = computedAt of the first list
 * reflecting the event − its POST time) in the embedded process, next to the same pipeline as
 * three processes on the real broker and MongoDB-protocol server, measured in the same run with
 * the same model, rate and users. Auth off. Never pass/fail.
 *
 *   npm run bench:embedded:freshness -- [--runs 3] [--events 1000] [--rate 200] [--users 300]
 *     [--poll-concurrency 8] [--poll-interval-ms 5] [--cpu-prof-dir DIR]
 * The probe's GET polling shares the embedded process's CPU with the pipeline: lower
 * --poll-concurrency / raise --poll-interval-ms to see how much of the freshness is the probe's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppProcess, cpuProfileFlags, startAppProcess } from '../../test/support/app-process';
import { benchScope } from '../recommender/support/bench-scope';
import {
  FRESHNESS_OPTIONS,
  freshnessSettings,
  runFreshness,
} from '../recommender/support/freshness-run';
import { summarizeLatencies } from '../recommender/support/latency';
import { writeRandomModelVersion } from '../recommender/support/random-model';
import { machineDescription, summarizeRuns } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    ...FRESHNESS_OPTIONS,
    'base-port': { type: 'string', default: '3770' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const {
  runs: RUNS,
  events: EVENTS,
  rate: RATE,
  users: USERS,
  items: ITEMS,
  polling: POLLING,
} = freshnessSettings(args);
const BASE_PORT = Number(args['base-port']);

interface Pipeline {
  readonly ingestUrl: string;
  readonly recommenderUrl: string;
}

/** Warm-up (one event per user), then EVENTS at RATE; freshness p50/p99 in ms. */
async function measure(pipeline: Pipeline, vocabulary: readonly string[]) {
  const probe = await runFreshness({
    ...pipeline,
    vocabulary,
    rate: RATE,
    users: USERS,
    events: EVENTS,
    polling: POLLING,
  });
  const computed = summarizeLatencies(probe.tracker.reflections().map((r) => r.computedMs));
  return { p50: computed.p50, p99: computed.p99, pending: probe.tracker.pending };
}

async function run(index: number, modelRoot: string, vocabulary: readonly string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kairos-bench-embedded-'));
  const scope = benchScope('embedded-fresh', index);
  const common = { MODEL_DIR: modelRoot, MODEL_SMOKE_TIMEOUT_MS: '30000', KAIROS_AUTH: 'off' };
  const started: AppProcess[] = [];
  try {
    const embedded = await startAppProcess(
      'embedded',
      { ...common, KAIROS_DATA_DIR: dataDir, KAIROS_DEMO_CATALOG: 'none', LOG_LEVEL: 'error' },
      BASE_PORT,
      cpuProfileFlags(args['cpu-prof-dir']),
    );
    started.push(embedded);
    process.stdout.write(`run ${index}/${RUNS}: embedded...`);
    const inProcess = await measure(
      { ingestUrl: embedded.baseUrl, recommenderUrl: embedded.baseUrl },
      vocabulary,
    ).catch((error: unknown) => {
      console.error(embedded.output.join('').slice(-3_000));
      throw error;
    });
    await embedded.stop();
    started.length = 0;

    const env = scope.appEnv(common);
    const recommender = await startAppProcess('recommender', env, BASE_PORT + 3);
    started.push(recommender);
    started.push(await startAppProcess('feature', env, BASE_PORT + 2));
    const ingest = await startAppProcess('ingest', env, BASE_PORT + 1);
    started.push(ingest);
    process.stdout.write(' distributed...');
    const distributed = await measure(
      { ingestUrl: ingest.baseUrl, recommenderUrl: recommender.baseUrl },
      vocabulary,
    );
    console.log(` done (${inProcess.pending + distributed.pending} never reflected)`);
    return {
      embeddedFreshnessP50Ms: inProcess.p50,
      embeddedFreshnessP99Ms: inProcess.p99,
      distributedFreshnessP50Ms: distributed.p50,
      distributedFreshnessP99Ms: distributed.p99,
      'embedded p99 / distributed p99': inProcess.p99 / distributed.p99,
      neverReflected: inProcess.pending + distributed.pending,
    };
  } finally {
    for (const app of started.reverse()) await app.stop();
    await scope.dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `bench/embedded/freshness on ${machineDescription()}; ${RUNS} runs, ${EVENTS} events at ${RATE}/s over ${USERS} users, ${ITEMS}-item model`,
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
  console.log(
    JSON.stringify({
      benchmark: 'embedded-freshness',
      settings: { RUNS, EVENTS, RATE, USERS, ITEMS },
      median: summary,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
