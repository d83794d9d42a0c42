/**
 * bench/models: how long a dropped-in model takes to go live. Times the registry's scan that
 * finds a new 10,000-item, 64-dimension version, checks its completeness (sha256), validates it
 * (manifest, vocabulary, ONNX load, signature, smoke inference) and swaps it in while another
 * version serves; the reference is onnxruntime alone creating a session from the same file.
 * Needs the Python model writer (scripts/model/python-env.sh). Prints a table and JSON; never
 * passes or fails on timing.
 *
 *   npm run bench:models -- [--runs 5] [--items 10000] [--dim 64]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceSession } from 'onnxruntime-node';
import {
  DEFAULT_MODEL_LIMITS,
  ModelRegistry,
  type StepTimings,
  VALIDATION_STEPS,
} from '@kairos/model';
import { writePythonModel } from '../../test/fixtures/python/python-models';
import { machineDescription, median, printTable } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    items: { type: 'string', default: '10000' },
    dim: { type: 'string', default: '64' },
  },
});
const RUNS = Number(args.runs);
const ITEMS = Number(args.items);
const DIM = Number(args.dim);
const root = resolve(__dirname, '../..');

interface RunResult {
  readonly swapMs: number;
  readonly referenceMs: number;
  readonly steps: StepTimings;
}

async function timeReferenceSessionCreate(modelPath: string): Promise<number> {
  const started = performance.now();
  const session = await InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const elapsed = performance.now() - started;
  await session.release();
  return elapsed;
}

async function oneRun(staging: string): Promise<RunResult> {
  const modelDir = mkdtempSync(join(tmpdir(), 'kairos-bench-models-'));
  try {
    cpSync(join(staging, 'small'), join(modelDir, 'bench', '1'), { recursive: true });
    const registry = new ModelRegistry({
      modelDir,
      pollIntervalMs: 3_600_000,
      smokeTimeoutMs: 30_000,
      intraOpNumThreads: 0,
      limits: DEFAULT_MODEL_LIMITS,
    });
    await registry.start();
    cpSync(join(staging, 'large'), join(modelDir, 'bench', '2'), { recursive: true });
    const started = performance.now();
    await registry.scan();
    const swapMs = performance.now() - started;
    const snapshot = registry.snapshot();
    if (snapshot.active?.version !== '2') {
      throw new Error(
        `the large model did not go live: ${JSON.stringify(snapshot.versions[0]?.reason)}`,
      );
    }
    const steps = snapshot.versions.find((info) => info.version === '2')?.validation?.stepsMs ?? {};
    await registry.stop();
    const referenceMs = await timeReferenceSessionCreate(join(staging, 'large', 'model.onnx'));
    return { swapMs, referenceMs, steps };
  } finally {
    rmSync(modelDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), 'kairos-bench-staging-'));
  try {
    writePythonModel(join(staging, 'small'), 'bench', '1', {
      items: 50,
      dim: DIM,
      created: '2026-01-01T00:00:00Z',
    });
    writePythonModel(join(staging, 'large'), 'bench', '2', {
      items: ITEMS,
      dim: DIM,
      topK: 20,
      created: '2026-01-02T00:00:00Z',
    });
    await oneRun(staging); // warm-up: first onnxruntime load, file cache
    const runs: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await oneRun(staging));

    const swapMs = median(runs.map((run) => run.swapMs));
    const referenceMs = median(runs.map((run) => run.referenceMs));
    const stepMedians = Object.fromEntries(
      VALIDATION_STEPS.map((step) => [
        step,
        median(runs.map((run) => run.steps[step] ?? Number.NaN)),
      ]),
    );
    printTable([
      ...runs.map((run, index) => ({
        run: `run ${index + 1}`,
        'scan+validate+swap ms': run.swapMs,
        'reference session create ms': run.referenceMs,
        ...Object.fromEntries(
          VALIDATION_STEPS.map((step) => [`${step} ms`, run.steps[step] ?? Number.NaN]),
        ),
      })),
      {
        run: 'median',
        'scan+validate+swap ms': swapMs,
        'reference session create ms': referenceMs,
        ...Object.fromEntries(
          VALIDATION_STEPS.map((step) => [`${step} ms`, stepMedians[step] ?? Number.NaN]),
        ),
      },
    ]);
    const report = {
      benchmark: 'models/swap',
      machine: machineDescription(),
      model: { items: ITEMS, dimension: DIM, topK: 20 },
      runs: RUNS,
      median: {
        swapMs,
        referenceSessionCreateMs: referenceMs,
        ratioToReference: swapMs / referenceMs,
        stepsMs: stepMedians,
      },
      target: 'load, validate and swap a 10,000 x 64 model in under 2000 ms',
    };
    mkdirSync(resolve(root, 'bench/results'), { recursive: true });
    writeFileSync(resolve(root, 'bench/results/models-swap.json'), JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

void main();
