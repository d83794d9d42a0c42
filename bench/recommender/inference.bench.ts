/**
 * bench/recommender/inference: users/s of batched inference on a 10,000-item x 64-dimension
 * model version (random embeddings, written by the training lib's graph writer) at batch sizes
 * 1, 8, 64 and 256, three ways, all measured in the same run:
 *   - runner:  OnnxModelRunner.run on a prepared FeatureBatch (history length 20);
 *   - engine:  RecommendationEngine.recommend, the service's real path (batch building, the
 *              [B, N] exclusion mask, inference, top-k selection; engine defaults, k = 100);
 *   - matmul:  the reference, a raw onnxruntime MatMul [B, 64] x [64, 10,000].
 * All three keep `--in-flight` calls going at once (default: the engine's maxConcurrentBatches,
 * which is how the service runs them; 1 = one call after the other). Never pass/fail.
 *
 *   npm run bench:recommender:inference -- [--runs 3] [--items 10000] [--dimension 64]
 *     [--min-ms 1500] [--in-flight 2]
 *   (profile: node --cpu-prof -r ts-node/register/transpile-only -r tsconfig-paths/register
 *    bench/recommender/inference.bench.ts --runs 1)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MODEL_LIMITS,
  type FeatureBatch,
  type ModelRunner,
  validateVersion,
} from '@kairos/model';
import {
  DEFAULT_ENGINE_OPTIONS,
  type Interaction,
  RecommendationEngine,
  SeededRandom,
} from '@kairos/recsys';
import { machineDescription, summarizeRuns } from '../support/stats';
import { MatMulReference } from './support/matmul-reference';
import { writeRandomModelVersion } from './support/random-model';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    items: { type: 'string', default: '10000' },
    dimension: { type: 'string', default: '64' },
    // Each measurement repeats calls for at least this long.
    'min-ms': { type: 'string', default: '1500' },
    'in-flight': { type: 'string', default: String(DEFAULT_ENGINE_OPTIONS.maxConcurrentBatches) },
  },
});
const RUNS = Number(args.runs);
const ITEMS = Number(args.items);
const DIMENSION = Number(args.dimension);
const MIN_MS = Number(args['min-ms']);
const IN_FLIGHT = Number(args['in-flight']);
const BATCH_SIZES = [1, 8, 64, 256] as const;
const HISTORY_LENGTH = 20;
const PRECOMPUTED_K = 100;

/**
 * Users per second of `call` (which scores `batchSize` users) with IN_FLIGHT calls going at once,
 * after two warm-up calls.
 */
async function usersPerSecond(batchSize: number, call: () => Promise<unknown>): Promise<number> {
  await call();
  await call();
  let calls = 0;
  const started = performance.now();
  const keepCalling = async (): Promise<void> => {
    while (calls < 3 || performance.now() - started < MIN_MS) {
      await call();
      calls += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, keepCalling));
  return (batchSize * calls) / ((performance.now() - started) / 1_000);
}

function featureBatch(runner: ModelRunner, batchSize: number, random: SeededRandom): FeatureBatch {
  const n = runner.vocabulary.length;
  const d = runner.manifest.embeddingDimension;
  const excludeMask = new Float32Array(batchSize * n);
  const history = new BigInt64Array(batchSize * HISTORY_LENGTH);
  for (let i = 0; i < history.length; i++) {
    const row = random.nextInt(n);
    history[i] = BigInt(row);
    // What the engine does: a user's seen items are excluded from their own list.
    excludeMask[Math.floor(i / HISTORY_LENGTH) * n + row] = 1;
  }
  return {
    batchSize,
    historyLength: HISTORY_LENGTH,
    itemCount: n,
    embeddingDimension: d,
    history,
    historyWeights: Float32Array.from({ length: history.length }, (_, i) =>
      Math.pow(0.7, HISTORY_LENGTH - 1 - (i % HISTORY_LENGTH)),
    ),
    itemEmbeddings: runner.baseEmbeddings,
    itemPrior: new Float32Array(n),
    userEmbedding: new Float32Array(batchSize * d),
    excludeMask,
  };
}

/** An engine that knows `users` users, each with HISTORY_LENGTH events over random items. */
async function warmEngine(runner: ModelRunner, users: number, random: SeededRandom) {
  const engine = await RecommendationEngine.create(runner);
  const events: Interaction[] = [];
  for (let i = 0; i < users * HISTORY_LENGTH; i++) {
    events.push({
      userId: `u${i % users}`,
      itemId: runner.vocabulary[random.nextInt(runner.vocabulary.length)] ?? 'item-0',
      type: 'view',
      timestamp: Date.parse('2026-11-22T00:00:00Z') + i * 1_000,
    });
  }
  engine.observe(events);
  return engine;
}

async function main(): Promise<void> {
  const model = writeRandomModelVersion({ items: ITEMS, dimension: DIMENSION });
  const outcome = await validateVersion(
    model.versionDir,
    { name: 'bench-random', version: '1' },
    { limits: DEFAULT_MODEL_LIMITS, smokeTimeoutMs: 60_000, runner: { intraOpNumThreads: 0 } },
  );
  if (outcome.status !== 'valid') throw new Error(`model ${model.versionDir} is ${outcome.status}`);
  const runner = outcome.runner;
  const reference = await MatMulReference.create(runner.baseEmbeddings, ITEMS, DIMENSION);
  console.log(
    `bench/recommender/inference on ${machineDescription()}; ${RUNS} runs, N=${ITEMS}, D=${DIMENSION}, L=${HISTORY_LENGTH}, >= ${MIN_MS} ms per measurement, ${IN_FLIGHT} call(s) in flight`,
  );
  const runs: Array<Record<string, number>> = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const random = new SeededRandom(run);
      const engine = await warmEngine(runner, Math.max(...BATCH_SIZES), random);
      const result: Record<string, number> = {};
      for (const batchSize of BATCH_SIZES) {
        process.stdout.write(`run ${run}/${RUNS}: B=${batchSize}...`);
        const query = Float32Array.from({ length: batchSize * DIMENSION }, () => random.next());
        const matmul = await usersPerSecond(batchSize, () => reference.run(query, batchSize));
        const batch = featureBatch(runner, batchSize, random);
        const direct = await usersPerSecond(batchSize, () => runner.run(batch));
        const requests = Array.from({ length: batchSize }, (_, i) => ({ userId: `u${i}` }));
        const viaEngine = await usersPerSecond(batchSize, () =>
          engine.recommend(requests, { k: PRECOMPUTED_K, excludeSeen: true }),
        );
        console.log(' done');
        result[`matmul B=${batchSize} users/s`] = matmul;
        result[`runner B=${batchSize} users/s`] = direct;
        result[`engine B=${batchSize} users/s`] = viaEngine;
        result[`runner/matmul B=${batchSize}`] = direct / matmul;
        result[`engine/matmul B=${batchSize}`] = viaEngine / matmul;
      }
      runs.push(result);
    }
  } finally {
    await reference.release();
    rmSync(model.modelRoot, { recursive: true, force: true });
  }
  const summary = summarizeRuns(runs);
  const targets = {
    'engine >= 20,000 users/s at B=64': (summary['engine B=64 users/s'] ?? 0) >= 20_000,
    'runner >= 20,000 users/s at B=64': (summary['runner B=64 users/s'] ?? 0) >= 20_000,
  };
  console.log('targets (informational, not a pass/fail test):', targets);
  const report = {
    benchmark: 'recommender-inference',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, ITEMS, DIMENSION, HISTORY_LENGTH, MIN_MS, IN_FLIGHT, PRECOMPUTED_K },
    runs,
    median: summary,
    targets,
  };
  const results = resolve(__dirname, '../results');
  mkdirSync(results, { recursive: true });
  writeFileSync(resolve(results, 'recommender-inference.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
