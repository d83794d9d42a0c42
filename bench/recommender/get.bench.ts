/**
 * bench/recommender/get: GET /v1/recommendations/:userId for users with a precomputed list, with
 * autocannon at a fixed concurrency and open-loop at a fixed rate (the Go generator of
 * bench/tools/openloop), next to a bare NestJS + Fastify hello endpoint measured by the same
 * tools in the same run. Auth is off (KAIROS_AUTH=off) on both, so the API-key check is not part
 * of the number. Never pass/fail.
 *
 *   npm run bench:recommender:get -- [--runs 3] [--seconds 8] [--connections 32] [--users 2000]
 *     [--rates 1000,5000] [--items 10000] [--dimension 64] [--cpu-prof-dir DIR]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuProfileFlags, startAppProcess } from '../../test/support/app-process';
import { machineDescription, summarizeRuns } from '../support/stats';
import { startHelloProcess } from './hello/hello-process';
import { benchScope } from './support/bench-scope';
import { cacheUsers, inferenceBatchStats, notPrecomputed } from './support/cached-users';
import { mongoListWritesPerSecond } from './support/mongo-list-writes';
import { type ClosedLoopResult, closedLoopGet } from '../support/closed-loop';
import { MeasuredWindows } from '../support/measured-windows';
import { openLoopGet } from '../support/open-loop';
import { writeRandomModelVersion } from './support/random-model';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    users: { type: 'string', default: '2000' },
    // Open-loop rates; the last one is the target's (p99 <= 5 ms at 5,000 req/s).
    rates: { type: 'string', default: '1000,5000' },
    items: { type: 'string', default: '10000' },
    dimension: { type: 'string', default: '64' },
    port: { type: 'string', default: '3911' },
    'hello-port': { type: 'string', default: '3912' },
    // Writes V8 CPU profiles of the recommender and hello processes (DIR/recommender/,
    // DIR/hello/; open them in Chrome DevTools) and DIR/windows.json, when each was measured
    // closed-loop, for bench/telemetry/profile-summary.ts --windows.
    'cpu-prof-dir': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const USERS = Number(args.users);
const RATES = (args.rates ?? '').split(',').map(Number);
const RATE = RATES.at(-1) ?? 5_000;
const ITEMS = Number(args.items);
const DIMENSION = Number(args.dimension);
const profileDir = (server: string): string | undefined =>
  args['cpu-prof-dir'] === undefined ? undefined : resolve(args['cpu-prof-dir'], server);

/** Closed loop at the bench's concurrency and duration. */
function fixedConcurrency(
  baseUrl: string,
  paths: readonly string[],
  serverPid: number,
): Promise<ClosedLoopResult> {
  return closedLoopGet({ baseUrl, paths, serverPid, connections: CONNECTIONS, seconds: SECONDS });
}

async function main(): Promise<void> {
  console.log(
    `bench/recommender/get on ${machineDescription()}; ${RUNS} runs x ${SECONDS} s, ${CONNECTIONS} connections, ${USERS} cached users, paced at ${RATES.join(', ')}/s; auth off`,
  );
  const model = writeRandomModelVersion({ items: ITEMS, dimension: DIMENSION });
  const scope = benchScope('recommender-get', 0);
  const recommender = await startAppProcess(
    'recommender',
    scope.appEnv({ MODEL_DIR: model.modelRoot, MODEL_SMOKE_TIMEOUT_MS: '30000' }),
    Number(args.port),
    cpuProfileFlags(profileDir('recommender')),
  );
  const hello = await startHelloProcess(
    Number(args['hello-port']),
    cpuProfileFlags(profileDir('hello')),
  );
  const windows = new MeasuredWindows();
  const runs: Array<Record<string, number>> = [];
  let warmUp: Record<string, number> = {};
  try {
    const cached = await cacheUsers({
      scope,
      vocabulary: model.vocabulary,
      users: USERS,
      windowLength: 20,
      label: 'get',
    });
    // How fast the storage server takes the lists being precomputed: explains the warm-up time.
    const storageListsPerSecond = await mongoListWritesPerSecond(scope.mongoUri, 1_000);
    console.log(
      `  storage reference: ${storageListsPerSecond.toFixed(0)} 100-item lists/s (bare driver bulkWrite)`,
    );
    const missing = await notPrecomputed(recommender.baseUrl, cached.userIds);
    if (missing > 0) throw new Error(`${missing} of ${USERS} users have no precomputed list`);
    const batches = await inferenceBatchStats(recommender.baseUrl);
    console.log(
      `  ${USERS} users precomputed in ${cached.secondsToLagZero.toFixed(1)} s (${(USERS / cached.secondsToLagZero).toFixed(0)} users/s; ${batches.batches} inference calls, ${batches.meanUsers.toFixed(1)} users each)`,
    );
    warmUp = {
      usersPerSecond: USERS / cached.secondsToLagZero,
      inferenceCalls: batches.batches,
      meanUsersPerCall: batches.meanUsers,
      storageReferenceListsPerSecond: storageListsPerSecond,
    };
    const helloPid = processId(hello.child);
    const recommenderPid = processId(recommender.child);
    const recommendationPaths = cached.userIds.map((id) => `/v1/recommendations/${id}`);
    const helloPaths = cached.userIds.map((id) => `/hello/${id}`);

    // Warm-up: JIT and connection setup on both servers.
    await fixedConcurrency(hello.baseUrl, helloPaths, helloPid);
    await fixedConcurrency(recommender.baseUrl, recommendationPaths, recommenderPid);
    for (let run = 1; run <= RUNS; run++) {
      process.stdout.write(`run ${run}/${RUNS}: hello...`);
      const helloClosed = await windows.measure('hello', () =>
        fixedConcurrency(hello.baseUrl, helloPaths, helloPid),
      );
      process.stdout.write(' GET...');
      const getClosed = await windows.measure('recommender', () =>
        fixedConcurrency(recommender.baseUrl, recommendationPaths, recommenderPid),
      );
      const paced: Record<string, number> = {};
      for (const rate of RATES) {
        process.stdout.write(` both at ${rate}/s...`);
        const helloPaced = await openLoopGet({
          baseUrl: hello.baseUrl,
          paths: helloPaths,
          ratePerSecond: rate,
          seconds: SECONDS,
        });
        const getPaced = await openLoopGet({
          baseUrl: recommender.baseUrl,
          paths: recommendationPaths,
          ratePerSecond: rate,
          seconds: SECONDS,
        });
        paced[`hello@${rate} achieved req/s`] = helloPaced.requestsPerSecond;
        paced[`hello@${rate} p50 ms`] = helloPaced.p50;
        paced[`hello@${rate} p99 ms`] = helloPaced.p99;
        paced[`GET@${rate} achieved req/s`] = getPaced.requestsPerSecond;
        paced[`GET@${rate} p50 ms`] = getPaced.p50;
        paced[`GET@${rate} p99 ms`] = getPaced.p99;
        paced[`errors@${rate}`] = helloPaced.errors + getPaced.errors;
        // What the generator took from the two cores the servers share with it.
        paced[`generator CPU %@${rate}`] = (100 * getPaced.generatorCpuSeconds) / SECONDS;
      }
      console.log(' done');
      runs.push({
        helloRequestsPerSecond: helloClosed.requestsPerSecond,
        getRequestsPerSecond: getClosed.requestsPerSecond,
        getToHelloRatio: getClosed.requestsPerSecond / helloClosed.requestsPerSecond,
        helloP99Ms: helloClosed.p99,
        getP99Ms: getClosed.p99,
        closedErrors: helloClosed.errors + getClosed.errors,
        helloCpuMicrosPerRequest: helloClosed.cpuMicrosPerRequest,
        getCpuMicrosPerRequest: getClosed.cpuMicrosPerRequest,
        // Above 0.5 means GET costs less than twice hello's CPU per request.
        helloToGetCpuRatio: helloClosed.cpuMicrosPerRequest / getClosed.cpuMicrosPerRequest,
        ...paced,
      });
    }
  } finally {
    await hello.stop();
    await recommender.stop();
    await scope.dropDatabase();
    rmSync(model.modelRoot, { recursive: true, force: true });
    if (args['cpu-prof-dir'] !== undefined) windows.write(args['cpu-prof-dir']);
  }
  const summary = summarizeRuns(runs);
  const targets = {
    'GET >= 0.5 x hello req/s': (summary.getToHelloRatio ?? 0) >= 0.5,
    [`GET p99 <= 5 ms at ${RATE}/s`]: (summary[`GET@${RATE} p99 ms`] ?? Infinity) <= 5,
  };
  console.log('targets (informational, not a pass/fail test):', targets);
  const report = {
    benchmark: 'recommender-get',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, SECONDS, CONNECTIONS, USERS, RATES, ITEMS, DIMENSION, auth: 'off' },
    warmUp,
    runs,
    median: summary,
    targets,
  };
  const results = resolve(__dirname, '../results');
  mkdirSync(results, { recursive: true });
  writeFileSync(resolve(results, 'recommender-get.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));
}

function processId(child: { readonly pid?: number | undefined }): number {
  if (child.pid === undefined) throw new Error('a server process has no pid');
  return child.pid;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
