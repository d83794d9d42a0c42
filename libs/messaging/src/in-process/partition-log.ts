import {
  closeSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  ftruncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { decodeFrames, encodeFrame, type LogRecord } from './log-record';

export type NewRecord = Omit<LogRecord, 'offset'>;

/** Segment files are named by the offset of their first record, zero-padded so names sort. */
const segmentName = (baseOffset: number): string => `${String(baseOffset).padStart(20, '0')}.log`;

/**
 * One partition: records in offset order, in memory for reads and on disk in append-only
 * segment files (rolled at `segmentBytes`). Opening recovers from a crash: a torn or corrupt
 * frame at the end of the active segment is truncated away, so the partition ends at the last
 * whole record. Writes go to the OS before `append` returns (a process crash loses nothing);
 * `sync()` makes them survive an OS crash or power loss (see InProcessLog for the fsync policy).
 */
export class PartitionLog {
  private records: LogRecord[] = [];
  private readonly keys = new Set<string | null>();
  private nextOffset = 0;
  private fd: number | null = null;
  private activeBytes = 0;
  private dirty = false;
  /** A background fsync of the active segment in flight (see syncInBackground). */
  private syncing = false;
  /** Bytes truncated from a torn tail at open; reported by the log. */
  readonly recoveredTornBytes: number;

  constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.recoveredTornBytes = this.recover();
  }

  get endOffset(): number {
    return this.nextOffset;
  }

  get startOffset(): number {
    return this.records[0]?.offset ?? this.nextOffset;
  }

  get size(): number {
    return this.records.length;
  }

  append(entries: readonly NewRecord[]): LogRecord[] {
    const appended = entries.map((entry) => ({ ...entry, offset: this.nextOffset++ }));
    if (appended.length === 0) return appended;
    const frames = Buffer.concat(appended.map(encodeFrame));
    if (this.fd === null || this.activeBytes + frames.length > this.segmentBytes) {
      this.roll(appended[0]!.offset);
    }
    writeFully(this.fd!, frames);
    this.activeBytes += frames.length;
    this.dirty = true;
    for (const record of appended) {
      this.records.push(record);
      this.keys.add(record.key);
    }
    return appended;
  }

  /** Records with offset >= `from` (offsets may have gaps after compaction), at most `max`. */
  read(from: number, max: number): LogRecord[] {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid]!.offset < from) low = mid + 1;
      else high = mid;
    }
    return this.records.slice(low, low + max);
  }

  sync(): void {
    if (this.fd === null || !this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
  }

  /**
   * The periodic fsync, on libuv's thread pool: a synchronous fsync of every dirty segment
   * each second stalled the event loop (HTTP, consumers) for tens of milliseconds.
   */
  syncInBackground(): void {
    if (this.fd === null || !this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fsync(this.fd, (error) => {
      this.syncing = false;
      // Retried at the next tick (a segment closed meanwhile was fsynced by closeActive).
      if (error) this.dirty = true;
    });
  }

  /** Distinct keys; compaction is worth it when the log holds many more records than this. */
  get distinctKeys(): number {
    return this.keys.size;
  }

  /**
   * Keeps only the latest record per key (and drops keys whose latest record is a tombstone),
   * like Kafka's log cleaner, keeping offsets. The compacted records are written to a new
   * segment first (fsynced, then renamed into place), so a crash at any point leaves either the
   * old segments or the new one readable; leftovers are de-duplicated by offset at open.
   */
  compact(): void {
    const latest = new Map<string | null, LogRecord>();
    for (const record of this.records) latest.set(record.key, record);
    const kept = [...latest.values()]
      .filter((record) => record.value !== null)
      .sort((a, b) => a.offset - b.offset);
    this.closeActive();
    const old = this.segmentFiles();
    const base = kept[0]?.offset ?? this.nextOffset;
    const temporary = join(this.dir, 'compacting.tmp');
    const fd = openSync(temporary, 'w');
    writeFully(fd, Buffer.concat(kept.map(encodeFrame)));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, join(this.dir, segmentName(base)));
    for (const file of old) if (file !== segmentName(base)) rmSync(join(this.dir, file));
    syncDirectory(this.dir);
    this.records = kept;
    this.keys.clear();
    for (const record of kept) this.keys.add(record.key);
    // The next append opens a fresh segment after the compacted one.
  }

  /**
   * Drops records below `offset` (every reader is past them): from memory, and from disk the
   * segments that hold nothing at or above it. The active segment is never deleted, so the
   * end offset survives a restart; records of a partly dropped segment come back at the next
   * open, below every position, which is harmless.
   */
  trimBefore(offset: number): number {
    let drop = 0;
    while (drop < this.records.length && this.records[drop]!.offset < offset) drop++;
    if (drop === 0) return 0;
    for (const record of this.records.slice(0, drop)) this.keys.delete(record.key);
    this.records = this.records.slice(drop);
    for (const record of this.records) this.keys.add(record.key);
    const files = this.segmentFiles();
    for (let i = 0; i + 1 < files.length; i++) {
      const nextBase = Number(files[i + 1]!.slice(0, 20));
      if (nextBase <= offset) rmSync(join(this.dir, files[i]!));
    }
    return drop;
  }

  close(): void {
    this.sync();
    this.closeActive();
  }

  private roll(baseOffset: number): void {
    this.closeActive();
    this.fd = openSync(join(this.dir, segmentName(baseOffset)), 'a');
    this.activeBytes = 0;
    syncDirectory(this.dir);
  }

  private closeActive(): void {
    if (this.fd === null) return;
    if (this.dirty || this.syncing) fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    this.dirty = false;
  }

  private segmentFiles(): string[] {
    return readdirSync(this.dir)
      .filter((name) => /^\d{20}\.log$/.test(name))
      .sort();
  }

  /** Loads every segment; truncates a torn tail; returns the number of bytes cut off. */
  private recover(): number {
    rmSync(join(this.dir, 'compacting.tmp'), { force: true });
    let torn = 0;
    const files = this.segmentFiles();
    for (const [index, file] of files.entries()) {
      const path = join(this.dir, file);
      const data = readFileSync(path);
      const { records, validBytes } = decodeFrames(data);
      for (const record of records) {
        // Leftovers of an interrupted compaction repeat offsets already loaded.
        if (record.offset < this.nextOffset) continue;
        this.records.push(record);
        this.keys.add(record.key);
        this.nextOffset = record.offset + 1;
      }
      if (validBytes < data.length) {
        torn += data.length - validBytes;
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, validBytes);
        fsyncSync(fd);
        closeSync(fd);
      }
      const baseOffset = Number(file.slice(0, 20));
      if (index === files.length - 1) {
        this.nextOffset = Math.max(this.nextOffset, baseOffset);
        this.fd = openSync(path, 'a');
        this.activeBytes = statSync(path).size;
      }
    }
    return torn;
  }
}

function writeFully(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written);
}

/** A new or renamed file is only durable once its directory entry is. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open directories; the rename itself is still atomic.
  }
}
