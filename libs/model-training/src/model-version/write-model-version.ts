import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, MODEL_FILE, type ManifestFile, type ModelManifest } from '@kairos/model';
import { GRAPH_INPUTS, GRAPH_OUTPUTS, encodeRecommenderGraph } from '../onnx/recommender-graph';
import type { TrainedModel } from '../training/train-model';
import { float32LittleEndian } from './float32-file';

export const VOCABULARY_FILE = 'items.txt';
export const BASE_EMBEDDINGS_FILE = 'item_embeddings.f32';
/** Not part of the contract's required files: the prior the model was trained and tuned with. */
export const ITEM_PRIOR_FILE = 'item_prior.f32';
export const DEFAULT_TOP_K = 100;

export interface WriteModelVersionOptions {
  /** `models/<name>/<version>`; name and version default to its last two path segments. */
  directory: string;
  model: TrainedModel;
  name?: string;
  version?: string;
  topK?: number;
  /** ISO-8601; defaults to the last training event's time so retraining reproduces the bytes. */
  created?: string;
  /** Provenance merged into manifest.training (input file, format, ...). */
  training?: Record<string, unknown>;
  /** Replace an existing version directory instead of refusing. */
  force?: boolean;
}

export class ModelVersionExistsError extends Error {
  constructor(directory: string) {
    super(`${directory} already exists; pass --force (force: true) to replace it`);
    this.name = 'ModelVersionExistsError';
  }
}

function describeFile(content: Uint8Array): ManifestFile {
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * Writes a complete version directory: the other files first, manifest.json last, all inside a
 * hidden temporary directory beside the target that is renamed into place at the end, so a
 * watcher never sees a partial version.
 */
export function writeModelVersion(options: WriteModelVersionOptions): ModelManifest {
  const directory = resolve(options.directory);
  const { model } = options;
  const version = options.version ?? basename(directory);
  const name = options.name ?? basename(dirname(directory));
  const topK = options.topK ?? DEFAULT_TOP_K;
  if (existsSync(directory) && options.force !== true) throw new ModelVersionExistsError(directory);

  const contents: Record<string, Uint8Array> = {
    [MODEL_FILE]: encodeRecommenderGraph({
      dimension: model.dimension,
      projection: model.projection,
      priorWeight: model.priorWeight,
      topK,
    }),
    [VOCABULARY_FILE]: Buffer.from(model.vocabulary.map((id) => `${id}\n`).join(''), 'utf8'),
    [BASE_EMBEDDINGS_FILE]: float32LittleEndian(model.itemEmbeddings),
    [ITEM_PRIOR_FILE]: float32LittleEndian(model.itemPrior),
  };
  const manifest: ModelManifest = {
    schemaVersion: 1,
    name,
    version,
    created: options.created ?? new Date(model.lastTimestamp).toISOString(),
    embeddingDimension: model.dimension,
    files: Object.fromEntries(
      Object.entries(contents).map(([file, content]) => [file, describeFile(content)]),
    ),
    vocabulary: { file: VOCABULARY_FILE, size: model.vocabulary.length },
    baseEmbeddings: { file: BASE_EMBEDDINGS_FILE },
    inputs: { ...GRAPH_INPUTS },
    outputs: { ...GRAPH_OUTPUTS },
    topK,
    training: {
      ...options.training,
      method: 'skip-gram with negative sampling over next-item transitions, pooled history',
      hyperParameters: model.hyperParameters,
      eventCount: model.eventCount,
      priorWeight: model.priorWeight,
      priorFile: ITEM_PRIOR_FILE,
      historyWeights: `recency: newest item 1, each older one × ${model.hyperParameters.recencyDecay}`,
    },
    metrics: model.metrics,
  };

  mkdirSync(dirname(directory), { recursive: true });
  const staging = join(dirname(directory), `.${version}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    for (const [file, content] of Object.entries(contents))
      writeFileSync(join(staging, file), content);
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    replaceDirectory(staging, directory);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

/** Moves the old version aside first so the target path is never half old, half new. */
function replaceDirectory(staging: string, directory: string): void {
  if (!existsSync(directory)) {
    renameSync(staging, directory);
    return;
  }
  const replaced = `${staging}-replaced`;
  renameSync(directory, replaced);
  renameSync(staging, directory);
  rmSync(replaced, { recursive: true, force: true });
}
