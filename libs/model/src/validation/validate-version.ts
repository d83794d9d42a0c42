import { join } from 'node:path';
import { MODEL_FILE, type ModelManifest } from '../contract/model-contract';
import { LeasedRunner } from '../runtime/leased-runner';
import {
  type ModelParts,
  OnnxModelRunner,
  type OnnxRunnerOptions,
} from '../runtime/onnx-model-runner';
import { checkGraphSignature } from './graph-signature';
import { type ManifestLocation, parseManifest } from './manifest-parser';
import { type ModelLimits } from './model-limits';
import { ModelRejection, type RejectionReason } from './rejection';
import { smokeTest } from './smoke-test';
import { readCompleteFiles, readManifestJson } from './version-files';
import { parseBaseEmbeddings, parseVocabulary } from './vocabulary';

/** The validation steps in the order they run; timings are reported per step. */
export const VALIDATION_STEPS = [
  'manifest',
  'files',
  'vocabulary',
  'load',
  'signature',
  'smoke',
] as const;
export type ValidationStep = (typeof VALIDATION_STEPS)[number];

export type StepTimings = Partial<Record<ValidationStep, number>>;

export interface ValidationOptions {
  readonly limits: ModelLimits;
  readonly smokeTimeoutMs: number;
  readonly runner: OnnxRunnerOptions;
}

interface Outcome {
  /** Milliseconds per step that ran. */
  readonly timings: StepTimings;
  /** Present once the manifest parsed. */
  readonly manifest?: ModelManifest;
}

export type ValidationOutcome =
  | (Outcome & {
      readonly status: 'valid';
      readonly manifest: ModelManifest;
      readonly runner: LeasedRunner;
    })
  | (Outcome & { readonly status: 'pending' | 'rejected'; readonly reason: RejectionReason });

/**
 * Everything that must hold before a version may serve, cheapest and safest checks first: the
 * manifest and its limits before any file is read, sizes before contents, contents before the
 * native loader sees them. Returns a loaded runner only when every step passed.
 */
export async function validateVersion(
  versionDir: string,
  location: ManifestLocation,
  options: ValidationOptions,
): Promise<ValidationOutcome> {
  const timings: StepTimings = {};
  let manifest: ModelManifest | undefined;
  let runner: LeasedRunner | undefined;
  const timed = async <T>(step: ValidationStep, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round((performance.now() - started) * 100) / 100;
    }
  };
  try {
    const parsed = await timed('manifest', async () =>
      parseManifest(await readManifestJson(versionDir), location, options.limits),
    );
    manifest = parsed;
    const contents = await timed('files', () => readCompleteFiles(versionDir, parsed));
    const parts = await timed('vocabulary', () => ({
      manifest: parsed,
      vocabulary: parseVocabulary(
        fileContent(contents, parsed.vocabulary.file),
        parsed.vocabulary.size,
      ),
      baseEmbeddings: parseBaseEmbeddings(
        fileContent(contents, parsed.baseEmbeddings.file),
        parsed.vocabulary.size,
        parsed.embeddingDimension,
      ),
    }));
    const onnxRunner = await timed('load', () =>
      loadRunner(fileContent(contents, MODEL_FILE), parts, options),
    );
    runner = new LeasedRunner(onnxRunner);
    await timed('signature', () =>
      checkGraphSignature(parsed, onnxRunner.graphInputs, onnxRunner.graphOutputs),
    );
    const leased = runner;
    await timed('smoke', () => smokeTest(leased, options.smokeTimeoutMs));
    return { status: 'valid', manifest: parsed, runner, timings };
  } catch (error) {
    // A smoke run that timed out is still in flight; retire() frees the session after it.
    void runner?.retire();
    if (!(error instanceof ModelRejection)) throw error;
    const status = error.code === 'INCOMPLETE' ? 'pending' : 'rejected';
    return { status, reason: error.toReason(), timings, ...(manifest ? { manifest } : {}) };
  }
}

/** The version directory of a model: `<modelDir>/<name>/<version>`. */
export function versionDirectory(modelDir: string, location: ManifestLocation): string {
  return join(modelDir, location.name, location.version);
}

async function loadRunner(
  modelBytes: Buffer,
  parts: ModelParts,
  options: ValidationOptions,
): Promise<OnnxModelRunner> {
  try {
    return await OnnxModelRunner.load(modelBytes, parts, options.runner);
  } catch (error) {
    throw new ModelRejection(
      'CORRUPT_MODEL',
      `${MODEL_FILE} does not load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function fileContent(contents: ReadonlyMap<string, Buffer>, fileName: string): Buffer {
  const content = contents.get(fileName);
  // parseManifest guarantees every referenced file is listed, and readCompleteFiles read them all.
  if (content === undefined) throw new Error(`${fileName} was not read`);
  return content;
}
