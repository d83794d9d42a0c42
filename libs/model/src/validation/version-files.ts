import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from '../contract/model-contract';
import { MAX_MANIFEST_BYTES } from './model-limits';
import { IncompleteVersion, ModelRejection } from './rejection';

/**
 * Reads manifest.json. A missing or unparsable manifest means the copy is still under way
 * (a truncated JSON document never parses), so the version stays pending rather than refused.
 */
export async function readManifestJson(versionDir: string): Promise<unknown> {
  const path = join(versionDir, MANIFEST_FILE);
  const size = await regularFileSize(path, MANIFEST_FILE);
  if (size === null) throw new IncompleteVersion(`${MANIFEST_FILE} is not there yet`);
  if (size > MAX_MANIFEST_BYTES) {
    throw new ModelRejection(
      'TOO_LARGE',
      `${MANIFEST_FILE} is ${size} bytes, over ${MAX_MANIFEST_BYTES}`,
    );
  }
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new IncompleteVersion(
      `${MANIFEST_FILE} does not parse yet (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * The completeness rule: every file the manifest lists exists with exactly the listed size
 * and SHA-256. Sizes are checked first (cheap, and nothing bigger than declared is ever read);
 * contents are hashed only once every size matches. Returns the contents, so nothing is read twice.
 */
export async function readCompleteFiles(
  versionDir: string,
  manifest: ModelManifest,
): Promise<Map<string, Buffer>> {
  const listed = Object.entries(manifest.files);
  for (const [fileName, expected] of listed) {
    const size = await regularFileSize(join(versionDir, fileName), fileName);
    if (size === null) throw new IncompleteVersion(`${fileName} is not there yet`);
    if (size !== expected.bytes) {
      throw new IncompleteVersion(`${fileName} has ${size} of ${expected.bytes} bytes`);
    }
  }
  const contents = new Map<string, Buffer>();
  for (const [fileName, expected] of listed) {
    const content = await readFile(join(versionDir, fileName));
    const digest = createHash('sha256').update(content).digest('hex');
    if (content.length !== expected.bytes || digest !== expected.sha256) {
      throw new IncompleteVersion(
        `${fileName} does not match its sha256 in the manifest yet (still being written, or the manifest is stale)`,
      );
    }
    contents.set(fileName, content);
  }
  return contents;
}

/** Size of a regular file, null when absent; links and special files are refused outright. */
async function regularFileSize(path: string, fileName: string): Promise<number | null> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) {
      throw new ModelRejection(
        'UNSAFE_PATH',
        `${fileName} must be a regular file (symbolic links and special files are refused)`,
      );
    }
    return stats.size;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
