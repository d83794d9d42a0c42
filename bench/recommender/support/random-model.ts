import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_HYPER_PARAMETERS,
  SeededRandom,
  type TrainedModel,
  writeModelVersion,
} from '@kairos/model-training';

export interface RandomModelOptions {
  readonly items: number;
  readonly dimension: number;
  readonly seed?: number;
}

export interface RandomModelVersion {
  /** The drop-in root to pass as MODEL_DIR (holds `<name>/<version>/`). */
  readonly modelRoot: string;
  /** The version directory itself. */
  readonly versionDir: string;
  readonly vocabulary: readonly string[];
}

/**
 * A model version of the requested size written by the training lib's own graph writer, with
 * random unit-scale embeddings: inference cost depends on the shape, not on what was learned,
 * so a benchmark need not train 10,000 items first.
 */
export function writeRandomModelVersion(options: RandomModelOptions): RandomModelVersion {
  const { items, dimension } = options;
  const random = new SeededRandom(options.seed ?? 7);
  const vocabulary = Array.from({ length: items }, (_, i) => `item-${i}`);
  const scale = 1 / Math.sqrt(dimension);
  const itemEmbeddings = Float32Array.from(
    { length: items * dimension },
    () => (random.next() * 2 - 1) * scale,
  );
  // Identity projection: the pooled history is the query, as an untrained model would have it.
  const projection = new Float32Array(dimension * dimension);
  for (let d = 0; d < dimension; d++) projection[d * dimension + d] = 1;
  const itemPrior = Float32Array.from({ length: items }, () => random.next() * 2 - 1);
  const model: TrainedModel = {
    vocabulary,
    dimension,
    itemEmbeddings,
    projection,
    itemPrior,
    priorWeight: 0.1,
    hyperParameters: { ...DEFAULT_HYPER_PARAMETERS, dimension },
    eventCount: 0,
    lastTimestamp: Date.parse('2026-11-22T00:00:00Z'),
    metrics: {},
  };
  const modelRoot = mkdtempSync(join(tmpdir(), 'kairos-bench-model-'));
  const versionDir = join(modelRoot, 'bench-random', '1');
  writeModelVersion({
    directory: versionDir,
    model,
    training: { note: `random ${items} x ${dimension} embeddings for bench/recommender` },
  });
  return { modelRoot, versionDir, vocabulary };
}
