// Must load before onnxruntime-node (through @kairos/model): see the module's comment.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  DEFAULT_MODEL_LIMITS,
  type FeatureBatch,
  ModelRegistry,
  type RejectionCode,
} from '@kairos/model';
import {
  describeWithPythonModels,
  expectedScores,
  type ModelFault,
  sampleBatch,
  writePythonModel,
} from '../fixtures/python/python-models';

const ITEMS = 60;
const DIM = 8;

describeWithPythonModels('model registry with models written by the Python onnx helper', () => {
  let staging: string;
  let modelDir: string;
  let registry: ModelRegistry;

  const stagedVersion = (version: string): string => join(staging, 'demo', version);
  const install = (version: string): void =>
    cpSync(stagedVersion(version), join(modelDir, 'demo', version), { recursive: true });
  const newRegistry = (): ModelRegistry =>
    new ModelRegistry({
      modelDir,
      // Scans are triggered by the tests (registry.scan()), never by waiting for the poller.
      pollIntervalMs: 3_600_000,
      smokeTimeoutMs: 30_000,
      intraOpNumThreads: 1,
      limits: DEFAULT_MODEL_LIMITS,
    });
  const status = (version: string) =>
    registry.snapshot().versions.find((info) => info.name === 'demo' && info.version === version);
  const baseEmbeddings = (version: string): Float32Array => {
    const bytes = readFileSync(join(stagedVersion(version), 'item_embeddings.f32'));
    return new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  };
  const batchFor = (version: string, salt = 0): FeatureBatch =>
    sampleBatch(baseEmbeddings(version), DIM, { salt });

  beforeAll(() => {
    staging = mkdtempSync(join(tmpdir(), 'kairos-model-fixtures-'));
    const created = (day: number): string => `2026-03-${String(day).padStart(2, '0')}T00:00:00Z`;
    // Versions 1-3 are valid and differ by a score offset, so every answer names its version.
    for (const [version, bias] of [
      ['1', 0],
      ['2', 1_000],
      ['3', 2_000],
    ] as const) {
      writePythonModel(stagedVersion(version), 'demo', version, {
        items: ITEMS,
        dim: DIM,
        bias,
        topK: 5,
        created: created(Number(version)),
      });
    }
    const faults: ModelFault[] = [
      'corrupt',
      'wrong-input-names',
      'wrong-dimension',
      'nan-output',
      'vocabulary-mismatch',
      'wrong-output-dtype',
    ];
    for (const fault of faults) {
      writePythonModel(stagedVersion(fault), 'demo', fault, {
        items: ITEMS,
        dim: DIM,
        fault,
        created: created(20),
      });
    }
  });

  afterAll(() => rmSync(staging, { recursive: true, force: true }));

  beforeEach(() => {
    modelDir = mkdtempSync(join(tmpdir(), 'kairos-models-'));
    registry = newRegistry();
  });

  afterEach(async () => {
    await registry.stop();
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('accepts a model written by an independent tool and serves the scores its graph defines', async () => {
    install('1');
    await registry.start();

    expect(registry.snapshot().active).toEqual({ name: 'demo', version: '1' });
    const info = status('1');
    expect(info).toMatchObject({
      status: 'active',
      reason: null,
      vocabularySize: ITEMS,
      embeddingDimension: DIM,
    });
    expect(Object.keys(info?.validation?.stepsMs ?? {})).toEqual([
      'manifest',
      'files',
      'vocabulary',
      'load',
      'signature',
      'smoke',
    ]);
    expect(registry.active()?.runner.vocabulary).toHaveLength(ITEMS);

    const batch = batchFor('1');
    const { model, scored } = await registry.infer(batch);
    expect(model).toEqual({ name: 'demo', version: '1' });
    const expected = expectedScores(batch, 0);
    expect(scored.scores).toHaveLength(expected.length);
    expected.forEach((value, index) => {
      const served = scored.scores?.[index] ?? Number.NaN;
      if (value < -1e8) expect(served).toBeLessThan(-1e8);
      else expect(served).toBeCloseTo(value, 4);
    });
    // top_indices point at the highest scores of each row.
    const row0 = [...(scored.scores ?? []).slice(0, ITEMS)];
    const best = row0.indexOf(Math.max(...row0));
    expect(Number(scored.top?.indices[0])).toBe(best);
    expect(scored.top?.k).toBe(5);
  });

  const refusals: Array<[string, (dir: string) => void, RejectionCode]> = [
    ['a corrupt model.onnx', copyOf('corrupt'), 'CORRUPT_MODEL'],
    ['wrong input names', copyOf('wrong-input-names'), 'INPUT_MISMATCH'],
    ['a wrong embedding dimension', copyOf('wrong-dimension'), 'DIMENSION_MISMATCH'],
    ['NaN outputs', copyOf('nan-output'), 'SMOKE_FAILED'],
    [
      'a vocabulary that does not match its size',
      copyOf('vocabulary-mismatch'),
      'VOCABULARY_MISMATCH',
    ],
    ['a float64 scores output', copyOf('wrong-output-dtype'), 'OUTPUT_MISMATCH'],
    [
      'a file name escaping the version directory',
      editedManifest((manifest) => {
        manifest.vocabulary = { file: '../../1/items.txt', size: ITEMS };
      }),
      'UNSAFE_PATH',
    ],
    [
      'a huge embedding dimension',
      editedManifest((manifest) => {
        manifest.embeddingDimension = 2 ** 30;
      }),
      'TOO_LARGE',
    ],
    [
      'a huge vocabulary',
      editedManifest((manifest) => {
        manifest.vocabulary = { file: 'items.txt', size: 10 ** 12 };
      }),
      'TOO_LARGE',
    ],
    [
      'a manifest naming another version',
      editedManifest((manifest) => {
        manifest.version = '1';
      }),
      'BAD_MANIFEST',
    ],
    [
      'a symbolic link among its files',
      (dir) => {
        copyOf('3')(dir);
        rmSync(join(dir, 'items.txt'));
        symlinkSync(join(staging, 'demo', '3', 'items.txt'), join(dir, 'items.txt'));
      },
      'UNSAFE_PATH',
    ],
  ];

  it.each(refusals)(
    'refuses %s with a specific reason while the previous model keeps serving',
    async (_, write, code) => {
      install('1');
      await registry.start();
      write(join(modelDir, 'demo', 'candidate'));

      await registry.scan();

      expect(status('candidate')).toMatchObject({ status: 'rejected', reason: { code } });
      expect(status('candidate')?.reason?.message.length).toBeGreaterThan(10);
      expect(registry.snapshot().active).toEqual({ name: 'demo', version: '1' });
      const { model, scored } = await registry.infer(batchFor('1'));
      expect(model.version).toBe('1');
      expect(scored.scores?.every((value) => Number.isFinite(value))).toBe(true);
    },
  );

  it('never loads a partially copied version, and serves it once the copy completes', async () => {
    install('1');
    await registry.start();
    const target = join(modelDir, 'demo', '2');
    const source = stagedVersion('2');
    // The manifest arrives first (the worst order), then a half-written model, then the rest.
    cpSync(join(source, 'manifest.json'), join(target, 'manifest.json'));
    const steps: Array<() => void> = [
      () => {
        const model = readFileSync(join(source, 'model.onnx'));
        writeFileSync(join(target, 'model.onnx'), model.subarray(0, model.length >> 1));
      },
      () => cpSync(join(source, 'model.onnx'), join(target, 'model.onnx')),
      () => cpSync(join(source, 'items.txt'), join(target, 'items.txt')),
    ];
    await registry.scan();
    for (const step of steps) {
      expect(status('2')).toMatchObject({ status: 'pending', reason: { code: 'INCOMPLETE' } });
      expect(registry.snapshot().active?.version).toBe('1');
      step();
      await registry.scan();
    }
    expect(status('2')?.reason?.message).toContain('item_embeddings.f32');

    cpSync(join(source, 'item_embeddings.f32'), join(target, 'item_embeddings.f32'));
    await registry.scan();

    expect(registry.snapshot().active).toEqual({ name: 'demo', version: '2' });
    expect(status('1')?.status).toBe('ready');
  });

  it('swaps under concurrent inference without losing a request, each answer from one version', async () => {
    install('1');
    install('2');
    install('3');
    await registry.start();
    expect(registry.snapshot().active?.version).toBe('3');
    const activations: string[] = [];
    registry.onActivated((event) => activations.push(event.model.version));
    const batch = batchFor('1');
    const withoutBias = expectedScores(batch, 0);
    const biasOf: Record<string, number> = { '1': 0, '2': 1_000, '3': 2_000 };

    const runs = 3_000;
    const concurrency = 32;
    const results: Array<{ version: string; scores: Float32Array }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < runs) {
        next++;
        const { model, scored } = await registry.infer(batch);
        results.push({ version: model.version, scores: scored.scores ?? new Float32Array() });
      }
    };
    const swaps = (async () => {
      for (const version of ['1', '2', '1', '3', '2']) {
        await new Promise((resolve) => setImmediate(resolve));
        await registry.activate('demo', version);
        while (results.length < (activations.length * runs) / 6) {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      await registry.rollback();
    })();
    await Promise.all([...Array.from({ length: concurrency }, worker), swaps]);

    expect(activations).toEqual(['1', '2', '1', '3', '2', '3']);
    expect(results).toHaveLength(runs);
    const versionsSeen = new Set(results.map((result) => result.version));
    expect(versionsSeen.size).toBeGreaterThanOrEqual(2);
    // Every score of an answer carries the offset of the version it names: nothing mixed.
    const mismatched = results.filter(({ version, scores }) => {
      const bias = biasOf[version] ?? Number.NaN;
      return withoutBias.some(
        (value, index) =>
          value > -1e8 && !(Math.abs((scores[index] ?? Number.NaN) - value - bias) < 1e-2),
      );
    });
    expect(mismatched).toHaveLength(0);
  });

  it('keeps the previous runner usable until activation listeners finish switching', async () => {
    install('1');
    await registry.start();
    const previous = registry.active();
    let finishSwitching: () => void = () => undefined;
    registry.onActivated(() => new Promise<void>((resolve) => (finishSwitching = resolve)));
    install('2');
    await registry.scan();
    expect(registry.snapshot().active?.version).toBe('2');

    // A listener (the engine re-seeding its table) is still switching: the old model serves it.
    const stillServing = await previous?.runner.run(batchFor('1'));
    expect(stillServing?.scores).toHaveLength(4 * ITEMS);

    finishSwitching();
    for (let turn = 0; turn < 100 && !(await isRetired(previous?.runner)); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(previous?.runner.run(batchFor('1'))).rejects.toThrow(/retired/);
  });

  it('lets an operator pin and roll back, and still activates later drop-ins', async () => {
    install('1');
    await registry.start();
    install('2');
    await registry.scan();
    expect(registry.snapshot()).toMatchObject({ active: { version: '2' }, pinned: false });

    await registry.rollback();
    expect(registry.snapshot()).toMatchObject({ active: { version: '1' }, pinned: true });
    await expect(registry.rollback()).rejects.toMatchObject({ code: 'NOT_ACTIVATABLE' });
    await registry.scan();
    expect(registry.snapshot().active?.version).toBe('1');

    install('3');
    await registry.scan();
    expect(registry.snapshot()).toMatchObject({ active: { version: '3' }, pinned: false });

    await expect(registry.activate('demo', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    copyOf('nan-output')(join(modelDir, 'demo', 'nan'));
    await registry.scan();
    await expect(registry.activate('demo', 'nan')).rejects.toMatchObject({
      code: 'NOT_ACTIVATABLE',
    });
    expect(registry.snapshot().active?.version).toBe('3');
  });

  async function isRetired(runner: { run(batch: FeatureBatch): Promise<unknown> } | undefined) {
    return (runner?.run(batchFor('1')) ?? Promise.reject(new Error('no runner'))).then(
      () => false,
      () => true,
    );
  }

  function copyOf(version: string): (dir: string) => void {
    return (dir) => {
      cpSync(stagedVersion(version), dir, { recursive: true });
      // The manifest is not among the hashed files: renaming the version only touches it.
      const path = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      writeFileSync(path, JSON.stringify({ ...manifest, version: basename(dir) }));
    };
  }

  function editedManifest(
    edit: (manifest: Record<string, unknown> & { vocabulary?: unknown }) => void,
  ) {
    return (dir: string): void => {
      copyOf('3')(dir);
      const path = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      edit(manifest);
      writeFileSync(path, JSON.stringify(manifest));
    };
  }
});
