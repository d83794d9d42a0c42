/**
 * bench/recsys: the recommendation engine on the committed default model (real ONNX runtime):
 * milliseconds per `recommend` call for batches of 1, 64 and 256 users, and online `observe`
 * throughput, next to a reference measured in the same run (a plain-JS dot-product scan of the
 * same [B, N, D] size) so numbers from different machines can be compared. Never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/recsys/engine.bench.ts \
 *     [--runs 5] [--model models/kairos-default/1] [--out bench/results/recsys-engine.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_LIMITS, validateVersion } from '@kairos/model';
import { RecommendationEngine, SeededRandom, type Interaction } from '@kairos/recsys';
import { machineDescription, summarizeRuns } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    model: { type: 'string', default: 'models/kairos-default/1' },
    out: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const BATCH_SIZES = [1, 64, 256] as const;
const USERS = 2_000;
const WARM_EVENTS = 20_000;
const REPEATS = 20;

async function main(): Promise<void> {
  const versionDir = resolve(args.model);
  const outcome = await validateVersion(
    versionDir,
    { name: basename(dirname(versionDir)), version: basename(versionDir) },
    { limits: DEFAULT_MODEL_LIMITS, smokeTimeoutMs: 30_000, runner: { intraOpNumThreads: 0 } },
  );
  if (outcome.status !== 'valid') throw new Error(`model ${versionDir} is ${outcome.status}`);
  const runner = outcome.runner;
  const items = runner.vocabulary;
  const dimension = runner.manifest.embeddingDimension;
  const runs: Record<string, number>[] = [];

  for (let run = 0; run < RUNS; run++) {
    const engine = await RecommendationEngine.create(runner);
    const random = new SeededRandom(run + 1);
    const events: Interaction[] = Array.from({ length: WARM_EVENTS }, (_, i) => ({
      userId: `u${random.nextInt(USERS)}`,
      itemId: items[random.nextInt(items.length)] ?? 'x',
      type: 'view',
      timestamp: 1_767_225_600_000 + i * 1000,
    }));
    const result: Record<string, number> = {};
    const observeStart = performance.now();
    engine.observe(events);
    result['observe events/s'] = WARM_EVENTS / ((performance.now() - observeStart) / 1000);

    for (const batchSize of BATCH_SIZES) {
      const requests = Array.from({ length: batchSize }, (_, i) => ({ userId: `u${i % USERS}` }));
      await engine.recommend(requests, { k: 20, excludeSeen: true });
      const started = performance.now();
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        await engine.recommend(requests, { k: 20, excludeSeen: true });
      }
      result[`recommend B=${batchSize} ms`] = (performance.now() - started) / REPEATS;
      result[`reference B=${batchSize} ms`] = referenceScan(batchSize, items.length, dimension);
    }
    runs.push(result);
  }

  console.log(
    `recsys engine bench: ${machineDescription()}, model ${runner.manifest.name}/${runner.manifest.version}`,
  );
  console.log(
    `N=${items.length} items, D=${dimension}, ${RUNS} runs, ${REPEATS} calls per batch size\n`,
  );
  const summary = summarizeRuns(runs);
  const ratios = Object.fromEntries(
    BATCH_SIZES.map((size) => [
      `recommend/reference B=${size}`,
      (summary[`recommend B=${size} ms`] ?? 0) / (summary[`reference B=${size} ms`] ?? 1),
    ]),
  );
  console.log('\nratio to the plain-JS reference scan (lower is better):', ratios);
  const report = {
    machine: machineDescription(),
    model: runner.manifest.name,
    runs,
    summary,
    ratios,
  };
  console.log(JSON.stringify(report));
  if (args.out) {
    mkdirSync(dirname(resolve(args.out)), { recursive: true });
    writeFileSync(args.out, JSON.stringify(report, null, 2));
  }
  await runner.retire();
}

/** Milliseconds for a naive JS scan scoring B users against N items of D floats. */
function referenceScan(batchSize: number, itemCount: number, dimension: number): number {
  const table = new Float32Array(itemCount * dimension).fill(0.01);
  const query = new Float32Array(dimension).fill(0.02);
  const scores = new Float32Array(itemCount);
  const started = performance.now();
  for (let b = 0; b < batchSize; b++) {
    for (let n = 0; n < itemCount; n++) {
      let dot = 0;
      for (let d = 0; d < dimension; d++) dot += (query[d] ?? 0) * (table[n * dimension + d] ?? 0);
      scores[n] = dot;
    }
  }
  return performance.now() - started;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
