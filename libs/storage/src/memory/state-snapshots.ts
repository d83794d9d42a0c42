import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';

/** An in-memory store whose whole content goes into the state snapshot. */
export interface SnapshotParticipant {
  /** Unique name of the store in the snapshot file. */
  readonly snapshotKey: string;
  /** Plain JSON data; called synchronously for all stores at once, so they agree on one instant. */
  dump(): unknown;
  restore(data: unknown): void;
}

export interface StateSnapshot {
  readonly format: 1;
  readonly takenAt: number;
  /** Data that must be captured at the same instant as the stores (the log's offsets). */
  readonly checkpoint: unknown;
  readonly stores: Record<string, unknown>;
}

/**
 * The in-memory stores of the embedded mode and their snapshot file,
 * `<KAIROS_DATA_DIR>/state/snapshot.json`. The file is replaced atomically (write a temporary
 * file, fsync, rename, fsync the directory), so a crash leaves the previous or the new snapshot,
 * never a mix. A store registering after the snapshot was read gets its data right away, before
 * any lifecycle hook runs.
 */
@Injectable()
export class StateSnapshots {
  private readonly logger = new Logger('state-snapshots');
  private readonly participants = new Map<string, SnapshotParticipant>();
  private readonly dir: string;
  private readonly path: string;
  readonly loaded: StateSnapshot | null;

  constructor(@InjectConfig() config: KairosConfig) {
    this.dir = join(config.embedded.dataDir, 'state');
    this.path = join(this.dir, 'snapshot.json');
    mkdirSync(this.dir, { recursive: true });
    this.loaded = existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as StateSnapshot)
      : null;
    if (this.loaded !== null) {
      this.logger.log(
        `state restored from the snapshot of ${new Date(this.loaded.takenAt).toISOString()}`,
      );
    }
  }

  register(participant: SnapshotParticipant): void {
    if (this.participants.has(participant.snapshotKey)) {
      throw new Error(`two stores share the snapshot key ${participant.snapshotKey}`);
    }
    this.participants.set(participant.snapshotKey, participant);
    const data = this.loaded?.stores[participant.snapshotKey];
    if (data !== undefined) participant.restore(data);
  }

  /** Synchronous: every store and the checkpoint are read without yielding in between. */
  capture(checkpoint: unknown, now: number): StateSnapshot {
    const stores: Record<string, unknown> = {};
    for (const [key, participant] of this.participants) stores[key] = participant.dump();
    return { format: 1, takenAt: now, checkpoint, stores };
  }

  write(snapshot: StateSnapshot): void {
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
