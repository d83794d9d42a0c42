import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      `data directory ${dir} is in use by process ${holderPid}; stop it, or point ` +
        `KAIROS_DATA_DIR at another directory (two processes must never share one log)`,
    );
    this.name = 'DataDirectoryLockedError';
  }
}

/**
 * An exclusive claim on a data directory: a `LOCK` file created with O_EXCL holding our pid.
 * A lock left by a process that no longer exists (kill -9, power loss) is taken over; one held by
 * a live process refuses to open. (A recycled pid could make a stale lock look live; the error
 * names the pid so an operator can check and delete LOCK.)
 */
export class DirectoryLock {
  private released = false;

  private constructor(private readonly path: string) {}

  static acquire(dir: string): DirectoryLock {
    const path = join(dir, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
          throw new DataDirectoryLockedError(dir, holder);
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not lock ${dir}: another process keeps recreating ${path}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
