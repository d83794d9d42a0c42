import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEFAULT_MODEL = { name: 'kairos-default', version: '1' } as const;
const DEFAULT_DIR = resolve(
  __dirname,
  '../../../models',
  DEFAULT_MODEL.name,
  DEFAULT_MODEL.version,
);

interface Manifest {
  created: string;
  version: string;
  embeddingDimension: number;
  files: Record<string, { bytes: number; sha256: string }>;
  vocabulary: { file: string; size: number };
  [field: string]: unknown;
}

/** One version a data scientist (or an attacker) could drop into MODEL_DIR, never to serve. */
export interface BadModel {
  readonly version: string;
  readonly what: string;
  /** Refusal codes the registry may answer (the contract's table in models/README.md). */
  readonly refusedWith: readonly string[];
  /** Changes the copy in `dir`; file rewrites go through `rewrite` so the manifest stays complete. */
  readonly tamper: (
    dir: string,
    manifest: Manifest,
    rewrite: (file: string, bytes: Buffer) => void,
  ) => void;
}

/** Base embeddings whose dot products overflow: finite on disk, Inf - Inf = NaN at inference. */
function overflowingEmbeddings(dir: string): Buffer {
  const table = new Float32Array(readFileSync(join(dir, 'item_embeddings.f32')).buffer.slice(0));
  for (let i = 0; i < table.length; i++) table[i] = i % 2 === 0 ? 3e38 : -3e38;
  return Buffer.from(table.buffer);
}

export const BAD_MODELS: readonly BadModel[] = [
  {
    version: 'corrupt',
    what: 'model.onnx replaced by random bytes (manifest consistent)',
    refusedWith: ['CORRUPT_MODEL'],
    tamper: (_dir, _manifest, rewrite) =>
      rewrite('model.onnx', createHash('sha512').update('x').digest()),
  },
  {
    version: 'truncated',
    what: 'model.onnx cut in half (manifest consistent)',
    refusedWith: ['CORRUPT_MODEL'],
    tamper: (dir, _manifest, rewrite) => {
      const onnx = readFileSync(join(dir, 'model.onnx'));
      rewrite('model.onnx', onnx.subarray(0, Math.floor(onnx.length / 2)));
    },
  },
  {
    version: 'huge-dimension',
    what: 'embeddingDimension 2,000,000,000',
    refusedWith: ['TOO_LARGE'],
    tamper: (_dir, manifest) => {
      manifest.embeddingDimension = 2_000_000_000;
    },
  },
  {
    version: 'huge-vocabulary',
    what: 'vocabulary.size 4,000,000,000',
    refusedWith: ['TOO_LARGE'],
    tamper: (_dir, manifest) => {
      manifest.vocabulary.size = 4_000_000_000;
    },
  },
  {
    version: 'path-traversal',
    what: 'vocabulary file ../../../../etc/passwd',
    refusedWith: ['UNSAFE_PATH'],
    tamper: (_dir, manifest) => {
      manifest.files['../../../../etc/passwd'] = { bytes: 1, sha256: '0'.repeat(64) };
      manifest.vocabulary.file = '../../../../etc/passwd';
    },
  },
  {
    version: 'symlink',
    what: 'model.onnx a symbolic link to /etc/passwd',
    refusedWith: ['UNSAFE_PATH'],
    tamper: (dir) => {
      rmSync(join(dir, 'model.onnx'));
      symlinkSync('/etc/passwd', join(dir, 'model.onnx'));
    },
  },
  {
    version: 'nan-embeddings',
    what: 'base embeddings hold NaN',
    refusedWith: ['BAD_EMBEDDINGS'],
    tamper: (dir, _manifest, rewrite) => {
      const table = new Float32Array(
        readFileSync(join(dir, 'item_embeddings.f32')).buffer.slice(0),
      );
      table[7] = Number.NaN;
      rewrite('item_embeddings.f32', Buffer.from(table.buffer));
    },
  },
  {
    version: 'nan-producing',
    what: 'finite weights whose scores overflow to NaN',
    refusedWith: ['SMOKE_FAILED'],
    tamper: (dir, _manifest, rewrite) => rewrite('item_embeddings.f32', overflowingEmbeddings(dir)),
  },
];

/**
 * Writes `bad` as `<modelDir>/kairos-default/<version>`: a copy of the committed default model,
 * tampered with, newer than it (so it would take over if it passed), manifest renamed in last as
 * the contract asks of writers.
 */
export function dropIn(modelDir: string, bad: BadModel, created: Date): void {
  const staging = join(modelDir, DEFAULT_MODEL.name, `.incoming-${bad.version}`);
  cpSync(DEFAULT_DIR, staging, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as Manifest;
  rmSync(join(staging, 'manifest.json'));
  manifest.version = bad.version;
  manifest.created = created.toISOString();
  const rewrite = (file: string, bytes: Buffer): void => {
    writeFileSync(join(staging, file), bytes);
    manifest.files[file] = {
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  };
  bad.tamper(staging, manifest, rewrite);
  writeFileSync(join(staging, '.manifest.tmp'), JSON.stringify(manifest, null, 2));
  renameSync(join(staging, '.manifest.tmp'), join(staging, 'manifest.json'));
  renameSync(staging, join(modelDir, DEFAULT_MODEL.name, bad.version));
}

/** MODEL_DIR with only the committed default model. */
export function modelDirWithDefault(modelDir: string): void {
  cpSync(DEFAULT_DIR, join(modelDir, DEFAULT_MODEL.name, DEFAULT_MODEL.version), {
    recursive: true,
  });
}
