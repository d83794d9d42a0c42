/**
 * bench/telemetry: what tracing costs. Ingest throughput (POST /v1/events, closed loop) and GET
 * /v1/recommendations latency (open loop at a fixed rate, all modes in turn in one run) and
 * throughput with its CPU time per request (closed loop, `--connections`) with tracing off, on at
 * 100% and on at 10% sampling (parentbased_traceidratio), and instrumented with nothing sampled
 * (0%, the fixed cost of context propagation), all in one run: each mode has its own ingest and
 * recommender processes, and every repetition measures the modes back to back (the paced GET:
 * interleaved) so machine noise hits them alike. Traced apps export OTLP/HTTP protobuf to a sink
 * in this process. Prints medians and the ratio to "off"; never passes or fails.
 *
 *   npm run bench:telemetry -- [--runs 4] [--seconds 8] [--connections 32] [--rate 500]
 *     [--users 1000] [--settle-ms 2000] [--cpu-prof-dir DIR]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type AppProcess, cpuProfileFlags, startAppProcess } from '../../test/support/app-process';
import { benchScope, type BenchScope } from '../recommender/support/bench-scope';
import { cacheUsers } from '../recommender/support/cached-users';
import { closedLoopGet } from '../support/closed-loop';
import { openLoopGet, openLoopGetInTurn } from '../support/open-loop';
import { writeRandomModelVersion } from '../recommender/support/random-model';
import { machineDescription, median, summarizeRuns } from '../support/stats';
import { OtlpSink } from './otlp-sink';
import { MeasuredWindows } from '../support/measured-windows';
import { processCpuSeconds } from '../support/process-cpu';

const { values: args } = parseArgs({
  options: {
    // A multiple of the number of modes (4), so each mode takes each place in the order equally.
    runs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '500' },
    users: { type: 'string', default: '1000' },
    'base-port': { type: 'string', default: '3720' },
    // Quiet time before each measurement: lets the broker finish the previous mode's writes.
    'settle-ms': { type: 'string', default: '2000' },
    // Writes V8 CPU profiles of the ingest and recommender processes (open them in Chrome
    // DevTools), and `windows.json`: when each was measured, for profile-summary.ts --windows.
    'cpu-prof-dir': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const SETTLE_MS = Number(args['settle-ms']);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const RATE = Number(args.rate);
const USERS = Number(args.users);
const BASE_PORT = Number(args['base-port']);

interface Mode {
  readonly name: 'off' | 'on 100%' | 'on 10%' | 'on 0%';
  readonly env: (endpoint: string) => Record<string, string>;
}

const MODES: readonly Mode[] = [
  { name: 'off', env: () => ({ OTEL_TRACES_EXPORTER: 'none' }) },
  {
    name: 'on 100%',
    env: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    }),
  },
  {
    name: 'on 10%',
    env: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
  // Instrumented and propagating, but recording nothing: the fixed cost every request pays.
  {
    name: 'on 0%',
    env: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    }),
  },
];

interface Deployment {
  readonly mode: Mode;
  /** Names the profile directories (`ingest-<index>`, `recommender-<index>`). */
  readonly index: number;
  readonly scope: BenchScope;
  readonly ingest: AppProcess;
  readonly recommender: AppProcess;
  readonly getPaths: readonly string[];
}

let sequence = 0;
/** A client event (about 150 bytes), a different user each time, as frontends send them. */
function eventBody(): string {
  sequence += 1;
  return JSON.stringify({
    userId: `user-${sequence % 10_000}`,
    itemId: `sku-${sequence % 5_000}`,
    type: 'click',
    context: { page: 'home' },
  });
}

async function ingestThroughput(
  baseUrl: string,
): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url: `${baseUrl}/v1/events`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (request) => ({ ...request, body: eventBody() }) }],
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

function pidOf(app: AppProcess): number {
  if (app.child.pid === undefined) throw new Error('app process has no pid');
  return app.child.pid;
}

function cpuOf(app: AppProcess): number {
  return processCpuSeconds(pidOf(app));
}

async function deploy(
  mode: Mode,
  index: number,
  endpoint: string,
  modelRoot: string,
  vocabulary: readonly string[],
): Promise<Deployment> {
  const scope = benchScope(`telemetry-${index}`, index);
  const env = scope.appEnv({
    MODEL_DIR: modelRoot,
    MODEL_SMOKE_TIMEOUT_MS: '30000',
    KAIROS_INSTANCE_ID: `bench-${index}`,
    ...mode.env(endpoint),
  });
  const profile = (app: string) =>
    cpuProfileFlags(args['cpu-prof-dir'] && resolve(args['cpu-prof-dir'], `${app}-${index}`));
  const ingest = await startAppProcess('ingest', env, BASE_PORT + 1 + index * 2, profile('ingest'));
  const recommender = await startAppProcess(
    'recommender',
    env,
    BASE_PORT + 2 + index * 2,
    profile('recommender'),
  );
  const cached = await cacheUsers({
    scope,
    vocabulary,
    users: USERS,
    windowLength: 20,
    label: mode.name,
  });
  const getPaths = cached.userIds.map((id) => `/v1/recommendations/${id}`);
  return { mode, index, scope, ingest, recommender, getPaths };
}

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < MODES.length || RUNS % MODES.length !== 0) {
    // With 5 runs of 4 modes, `off` was measured first in two repetitions and each other mode
    // once, so a place in the order that is faster or slower than the others (the broker may
    // still be writing the previous mode's events) counted for one mode more than the others.
    throw new Error(
      `--runs must be a multiple of ${MODES.length} (the number of modes), so each mode takes each place in the order equally; got ${args.runs}`,
    );
  }
  console.log(
    `bench/telemetry on ${machineDescription()}; ${RUNS} runs x ${SECONDS} s per measurement, ingest ${CONNECTIONS} connections, GET paced at ${RATE}/s; modes: ${MODES.map((m) => m.name).join(', ')}`,
  );
  const sink = new OtlpSink();
  const endpoint = await sink.start(BASE_PORT);
  const model = writeRandomModelVersion({ items: 2_000, dimension: 32 });
  const deployments: Deployment[] = [];
  const runs: Array<Record<string, number>> = [];
  const windows = new MeasuredWindows();
  try {
    for (const [index, mode] of MODES.entries()) {
      deployments.push(await deploy(mode, index, endpoint, model.modelRoot, model.vocabulary));
    }
    // Warm-up: JIT, connections, the producers' first metadata fetches.
    for (const deployment of deployments) {
      await ingestThroughput(deployment.ingest.baseUrl);
      await openLoopGet({
        baseUrl: deployment.recommender.baseUrl,
        paths: deployment.getPaths,
        ratePerSecond: RATE,
        seconds: 2,
      });
    }
    const getPaths = deployments[0]?.getPaths ?? [];
    if (deployments.some((deployment) => deployment.getPaths.join() !== getPaths.join())) {
      throw new Error('the modes cached different users; the paced GET needs the same paths');
    }
    for (let run = 1; run <= RUNS; run++) {
      process.stdout.write(`run ${run}/${RUNS}: GET, all modes in turn...`);
      const row: Record<string, number> = {};
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      // Paced GETs to every mode's recommender in turn, in one run: each mode at RATE, and all of
      // them through the same moments of the machine. Measured one mode after the other, the
      // median latency moved by 30% between runs of the same mode (0.29-0.45 ms), more than
      // tracing could add; in turn, the modes see the same noise.
      const recommenders = deployments.map((deployment) => deployment.recommender);
      const getCpuBefore = recommenders.map(cpuOf);
      const paced = await windows.measureAll(
        deployments.map(({ index }) => `recommender-${index}`),
        () =>
          openLoopGetInTurn({
            baseUrls: recommenders.map((recommender) => recommender.baseUrl),
            paths: getPaths,
            ratePerSecond: RATE,
            seconds: SECONDS,
          }),
      );
      for (const [position, { mode }] of deployments.entries()) {
        const got = paced[position];
        const cpu = cpuOf(recommenders[position] as AppProcess) - (getCpuBefore[position] ?? 0);
        row[`GET CPU ms/req (${mode.name})`] = (cpu * 1_000) / (RATE * SECONDS);
        row[`GET p50 ms (${mode.name})`] = got?.p50 ?? Number.NaN;
        row[`GET p99 ms (${mode.name})`] = got?.p99 ?? Number.NaN;
        row[`errors (${mode.name})`] = got?.errors ?? Number.NaN;
      }
      // Each repetition starts one mode later, so no mode always runs right after the same one
      // (a mode measured after `on 100%` would otherwise inherit its tail of work every time).
      const shift = (run - 1) % deployments.length;
      const order = [...deployments.slice(shift), ...deployments.slice(0, shift)];
      for (const { mode, index, ingest, recommender, getPaths } of order) {
        process.stdout.write(` ${mode.name} ingest...`);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const ingestCpuBefore = cpuOf(ingest);
        const posted = await windows.measure(`ingest-${index}`, () =>
          ingestThroughput(ingest.baseUrl),
        );
        const ingestCpu = cpuOf(ingest) - ingestCpuBefore;
        // GETs as fast as the recommender answers: at RATE the process's background work and
        // the wake-up per request dominate its CPU time, which hid what the promise hooks cost
        // every GET.
        process.stdout.write(' closed GET...');
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const closed = await windows.measure(`recommender-${index}`, () =>
          closedLoopGet({
            baseUrl: recommender.baseUrl,
            paths: getPaths,
            serverPid: pidOf(recommender),
            connections: CONNECTIONS,
            seconds: SECONDS,
          }),
        );
        row[`ingest req/s (${mode.name})`] = posted.rps;
        row[`ingest CPU ms/req (${mode.name})`] = (ingestCpu * 1_000) / (posted.rps * SECONDS);
        row[`ingest p99 ms (${mode.name})`] = posted.p99;
        row[`GET closed req/s (${mode.name})`] = closed.requestsPerSecond;
        row[`GET closed CPU µs/req (${mode.name})`] = closed.cpuMicrosPerRequest;
        row[`errors (${mode.name})`] =
          (row[`errors (${mode.name})`] ?? 0) + posted.errors + closed.errors;
      }
      console.log(' done');
      runs.push(row);
    }
  } finally {
    for (const { ingest, recommender, scope } of deployments) {
      await ingest.stop();
      await recommender.stop();
      await scope.dropDatabase();
    }
    await sink.stop();
    rmSync(model.modelRoot, { recursive: true, force: true });
    if (args['cpu-prof-dir'] !== undefined) windows.write(args['cpu-prof-dir']);
  }
  const median = summarizeRuns(runs);
  const ratios: Record<string, number> = {};
  for (const mode of MODES.slice(1)) {
    ratios[`ingest req/s ${mode.name} / off`] =
      (median[`ingest req/s (${mode.name})`] ?? NaN) / (median['ingest req/s (off)'] ?? NaN);
    ratios[`ingest CPU/req ${mode.name} / off`] =
      (median[`ingest CPU ms/req (${mode.name})`] ?? NaN) /
      (median['ingest CPU ms/req (off)'] ?? NaN);
    ratios[`GET CPU/req ${mode.name} / off`] =
      (median[`GET CPU ms/req (${mode.name})`] ?? NaN) / (median['GET CPU ms/req (off)'] ?? NaN);
    ratios[`GET p50 ${mode.name} / off`] =
      (median[`GET p50 ms (${mode.name})`] ?? NaN) / (median['GET p50 ms (off)'] ?? NaN);
    ratios[`GET p99 ${mode.name} / off`] =
      (median[`GET p99 ms (${mode.name})`] ?? NaN) / (median['GET p99 ms (off)'] ?? NaN);
    ratios[`GET closed req/s ${mode.name} / off`] =
      (median[`GET closed req/s (${mode.name})`] ?? NaN) /
      (median['GET closed req/s (off)'] ?? NaN);
    ratios[`GET closed CPU/req ${mode.name} / off`] =
      (median[`GET closed CPU µs/req (${mode.name})`] ?? NaN) /
      (median['GET closed CPU µs/req (off)'] ?? NaN);
  }
  console.log('ratios to tracing off (medians):', ratios);
  const perRepetition = medianPerRepetitionRatios(runs);
  console.log('ratios to tracing off (median of each repetition over its own off):', perRepetition);
  console.log(
    `spans exported to the sink: ${sink.requests} requests, ${(sink.bytes / 1e6).toFixed(1)} MB`,
  );
  const target = {
    'ingest throughput at 10% sampling >= 0.9 x off':
      (ratios['ingest req/s on 10% / off'] ?? 0) >= 0.9,
    'GET p50 at 10% sampling <= 1.1 x off': (ratios['GET p50 on 10% / off'] ?? Infinity) <= 1.1,
    'GET p99 at 10% sampling <= 1.1 x off': (ratios['GET p99 on 10% / off'] ?? Infinity) <= 1.1,
    'GET closed-loop req/s at 10% sampling >= 0.9 x off':
      (ratios['GET closed req/s on 10% / off'] ?? 0) >= 0.9,
  };
  console.log('target (informational, not a pass/fail test):', target);
  const report = {
    benchmark: 'telemetry',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, SECONDS, CONNECTIONS, RATE, USERS, SETTLE_MS },
    runs,
    median,
    ratios,
    perRepetition,
    exported: { requests: sink.requests, bytes: sink.bytes },
    target,
  };
  const results = resolve(__dirname, '../results');
  mkdirSync(results, { recursive: true });
  writeFileSync(resolve(results, 'telemetry.json'), JSON.stringify(report, null, 2));
}

/**
 * Each mode over `off` within the same repetition, then the median of those ratios: drift of
 * the machine between repetitions (other work starting or stopping) cancels out, which the
 * ratio of the medians does not do.
 */
function medianPerRepetitionRatios(
  runs: ReadonlyArray<Record<string, number>>,
): Record<string, number> {
  const metrics = [
    'ingest req/s',
    'ingest CPU ms/req',
    'GET CPU ms/req',
    'GET p50 ms',
    'GET p99 ms',
    'GET closed req/s',
    'GET closed CPU µs/req',
  ];
  const ratios: Record<string, number> = {};
  for (const mode of MODES.slice(1)) {
    for (const metric of metrics) {
      ratios[`${metric} ${mode.name} / off`] = median(
        runs.map(
          (row) => (row[`${metric} (${mode.name})`] ?? NaN) / (row[`${metric} (off)`] ?? NaN),
        ),
      );
    }
  }
  return ratios;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
