import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** group → topic → partition → next offset to consume. */
export type OffsetsSnapshot = Record<string, Record<string, Record<string, number>>>;

/**
 * Committed offsets of the consumer groups, persisted as one JSON file replaced atomically
 * (write temporary, fsync, rename). Saving is batched by the log's flush timer: an offset saved
 * late only means records are delivered again after a crash (at-least-once), never skipped.
 */
export class CommittedOffsets {
  private readonly path: string;
  private offsets: OffsetsSnapshot;
  private dirty = false;

  constructor(dir: string) {
    this.path = join(dir, 'offsets.json');
    this.offsets = existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as OffsetsSnapshot)
      : {};
  }

  get(group: string, topic: string, partition: number): number | undefined {
    return this.offsets[group]?.[topic]?.[String(partition)];
  }

  set(group: string, topic: string, partition: number, offset: number): void {
    const byTopic = (this.offsets[group] ??= {});
    (byTopic[topic] ??= {})[String(partition)] = offset;
    this.dirty = true;
  }

  snapshot(): OffsetsSnapshot {
    return structuredClone(this.offsets);
  }

  /** Replaces every group's offsets (rewinding the groups to a state checkpoint). */
  replaceAll(offsets: OffsetsSnapshot): void {
    this.offsets = structuredClone(offsets);
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(this.offsets));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    this.dirty = false;
  }
}
