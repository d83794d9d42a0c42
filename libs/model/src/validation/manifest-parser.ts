import {
  BINDABLE_FEATURES,
  type BindableFeature,
  type ManifestFile,
  MODEL_FILE,
  type ModelManifest,
  OUTPUT_MEANINGS,
  type OutputMeaning,
} from '../contract/model-contract';
import { type ModelLimits } from './model-limits';
import { ModelRejection } from './rejection';
import { assertSafeSegment } from './safe-names';

/** Where the manifest was found: its name and version must match the directories. */
export interface ManifestLocation {
  readonly name: string;
  readonly version: string;
}

type Json = Record<string, unknown>;

/**
 * Checks a parsed manifest.json against the contract and the size limits, before any model
 * file is read: a hostile manifest can neither make us read outside the version directory nor
 * allocate a huge table.
 */
export function parseManifest(
  raw: unknown,
  location: ManifestLocation,
  limits: ModelLimits,
): ModelManifest {
  const root = object(raw, 'manifest');
  if (root.schemaVersion !== 1)
    bad(`schemaVersion must be 1, got ${JSON.stringify(root.schemaVersion)}`);
  const name = assertSafeSegment(root.name, 'name');
  const version = assertSafeSegment(root.version, 'version');
  if (name !== location.name || version !== location.version) {
    bad(`manifest says ${name}/${version} but lives in ${location.name}/${location.version}`);
  }
  const created = string(root.created, 'created');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(created) || Number.isNaN(Date.parse(created))) {
    bad(`created must be an ISO-8601 date-time, got ${JSON.stringify(created)}`);
  }
  const embeddingDimension = count(root.embeddingDimension, 'embeddingDimension');
  if (embeddingDimension > limits.maxDimension) {
    tooLarge(
      `embeddingDimension ${embeddingDimension} exceeds the limit of ${limits.maxDimension}`,
    );
  }
  const files = parseFiles(root.files, limits);
  const vocabularyField = object(root.vocabulary, 'vocabulary');
  const vocabulary = {
    file: listedFile(vocabularyField.file, 'vocabulary.file', files),
    size: count(vocabularyField.size, 'vocabulary.size'),
  };
  if (vocabulary.size > limits.maxItems) {
    tooLarge(`vocabulary.size ${vocabulary.size} exceeds the limit of ${limits.maxItems}`);
  }
  const baseEmbeddings = {
    file: listedFile(
      object(root.baseEmbeddings, 'baseEmbeddings').file,
      'baseEmbeddings.file',
      files,
    ),
  };
  const inputs = parseBindings(root.inputs, 'inputs', BINDABLE_FEATURES) as Record<
    string,
    BindableFeature
  >;
  const outputs = parseBindings(root.outputs, 'outputs', OUTPUT_MEANINGS) as Record<
    string,
    OutputMeaning
  >;
  const meanings = new Set(Object.values(outputs));
  const hasTop = meanings.has('top_scores') || meanings.has('top_indices');
  if (hasTop && !(meanings.has('top_scores') && meanings.has('top_indices'))) {
    bad('outputs must bind top_scores and top_indices together');
  }
  if (!meanings.has('scores') && !hasTop)
    bad('outputs must bind scores, or top_scores with top_indices');
  let topK: number | undefined;
  if (root.topK !== undefined || hasTop) {
    topK = count(root.topK, 'topK');
    if (topK > vocabulary.size) bad(`topK ${topK} exceeds vocabulary.size ${vocabulary.size}`);
  }
  return {
    schemaVersion: 1,
    name,
    version,
    created,
    embeddingDimension,
    files,
    vocabulary,
    baseEmbeddings,
    inputs,
    outputs,
    ...(topK === undefined ? {} : { topK }),
    ...(root.training === undefined ? {} : { training: object(root.training, 'training') }),
    ...(root.metrics === undefined ? {} : { metrics: parseMetrics(root.metrics) }),
  };
}

function parseFiles(raw: unknown, limits: ModelLimits): Record<string, ManifestFile> {
  const files: Record<string, ManifestFile> = {};
  for (const [fileName, entry] of Object.entries(object(raw, 'files'))) {
    assertSafeSegment(fileName, 'files entry');
    const field = object(entry, `files.${fileName}`);
    const bytes = field.bytes;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      bad(`files.${fileName}.bytes must be a non-negative integer`);
    }
    if (bytes > limits.maxFileBytes) {
      tooLarge(`files.${fileName} is ${bytes} bytes, over the limit of ${limits.maxFileBytes}`);
    }
    const sha256 = field.sha256;
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      bad(`files.${fileName}.sha256 must be 64 lowercase hex digits`);
    }
    files[fileName] = { bytes, sha256 };
  }
  if (files[MODEL_FILE] === undefined) bad(`files must list ${MODEL_FILE}`);
  return files;
}

function parseBindings(raw: unknown, field: string, allowed: object): Record<string, string> {
  const bindings = object(raw, field);
  const entries = Object.entries(bindings);
  if (entries.length === 0) bad(`${field} must bind at least one graph ${field.slice(0, -1)}`);
  const seen = new Set<unknown>();
  for (const [graphName, meaning] of entries) {
    if (graphName.length === 0 || graphName.length > 256)
      bad(`${field} has an empty or overlong name`);
    if (typeof meaning !== 'string' || !Object.hasOwn(allowed, meaning)) {
      bad(
        `${field}.${graphName} is ${JSON.stringify(meaning)}; known: ${Object.keys(allowed).join(', ')}`,
      );
    }
    if (seen.has(meaning)) bad(`${field} binds ${meaning} twice`);
    seen.add(meaning);
  }
  return bindings as Record<string, string>;
}

function parseMetrics(raw: unknown): Record<string, number> {
  const metrics = object(raw, 'metrics');
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      bad(`metrics.${name} must be a finite number`);
  }
  return metrics as Record<string, number>;
}

function listedFile(raw: unknown, field: string, files: Record<string, ManifestFile>): string {
  const fileName = assertSafeSegment(raw, field);
  if (files[fileName] === undefined) bad(`${field} ${fileName} is not listed in files`);
  return fileName;
}

function object(raw: unknown, field: string): Json {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    bad(`${field} must be an object`);
  return raw as Json;
}

function string(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.length === 0) bad(`${field} must be a non-empty string`);
  return raw;
}

function count(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) {
    bad(`${field} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function bad(message: string): never {
  throw new ModelRejection('BAD_MANIFEST', message);
}

function tooLarge(message: string): never {
  throw new ModelRejection('TOO_LARGE', message);
}
