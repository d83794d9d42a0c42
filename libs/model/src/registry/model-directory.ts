import { type Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../contract/model-contract';
import { isSafeSegment } from '../validation/safe-names';

/** One `<name>/<version>` directory found under MODEL_DIR. */
export interface VersionEntry {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /**
   * Changes whenever manifest.json is replaced or rewritten (null while it is absent), so a
   * version already judged is only looked at again when its manifest changes.
   */
  readonly manifestStamp: string | null;
  /** Set when the directory itself may not be loaded (symbolic link, unsafe name). */
  readonly unsafe?: string;
}

/**
 * Lists `<modelDir>/<name>/<version>/` directories. Hidden entries (`.tmp-copy`, `.git`) and
 * plain files (README.md) are ignored; symbolic links and unsafe names are reported, not followed.
 * A missing MODEL_DIR lists nothing: models may be copied in later.
 */
export async function listVersionDirectories(modelDir: string): Promise<VersionEntry[]> {
  const entries: VersionEntry[] = [];
  for (const nameEntry of await visibleEntries(modelDir)) {
    const nameDir = join(modelDir, nameEntry.name);
    const nameProblem = problemOf(nameEntry, 'model name');
    if (nameProblem !== null) {
      entries.push({
        name: nameEntry.name,
        version: '',
        dir: nameDir,
        manifestStamp: null,
        unsafe: nameProblem,
      });
      continue;
    }
    if (!nameEntry.isDirectory()) continue;
    for (const versionEntry of await visibleEntries(nameDir)) {
      const dir = join(nameDir, versionEntry.name);
      const versionProblem = problemOf(versionEntry, 'version');
      if (versionProblem === null && !versionEntry.isDirectory()) continue;
      entries.push({
        name: nameEntry.name,
        version: versionEntry.name,
        dir,
        manifestStamp: versionProblem === null ? await manifestStamp(dir) : null,
        ...(versionProblem === null ? {} : { unsafe: versionProblem }),
      });
    }
  }
  return entries;
}

function problemOf(entry: Dirent, what: string): string | null {
  if (entry.isSymbolicLink())
    return `${what} directory ${entry.name} is a symbolic link; copy the files instead`;
  if (entry.isDirectory() && !isSafeSegment(entry.name)) {
    return `${what} ${JSON.stringify(entry.name)} must be made of [A-Za-z0-9._-]`;
  }
  return null;
}

async function visibleEntries(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => !entry.name.startsWith('.'))
      .sort((left, right) => left.name.localeCompare(right.name));
  } catch (error) {
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) return [];
    throw error;
  }
}

async function manifestStamp(dir: string): Promise<string | null> {
  try {
    const stats = await lstat(join(dir, MANIFEST_FILE));
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return null;
  }
}

/** Structural: errors from node:fs are not `instanceof Error` inside jest's sandbox. */
function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
