import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_SPECS, type TopicName, type TopicSpec } from '@kairos/contracts';
import { partitionForKey } from '../partitioning/murmur2';
import { CommittedOffsets, type OffsetsSnapshot } from './committed-offsets';
import { DirectoryLock } from './directory-lock';
import { type LogRecord } from './log-record';
import { PartitionLog } from './partition-log';

export interface InProcessLogOptions {
  /** Data directory; the log lives in `<dir>/log` and is locked against a second process. */
  readonly dir: string;
  readonly partitions: number;
  /**
   * 0 = fsync every append before it is acknowledged; n > 0 = fsync dirty segments every n ms.
   * Either way an acknowledged append is in the OS before `append` returns, so a process
   * crash (kill -9) loses nothing; only an OS crash or power loss can lose the last n ms.
   */
  readonly fsyncIntervalMs: number;
  readonly segmentBytes?: number;
  readonly topics?: readonly TopicSpec[];
  readonly clock?: () => number;
}

export interface AppendInput {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface AppendedRecord extends LogRecord {
  readonly partition: number;
}

type AppendListener = (topic: TopicName, partition: number) => void;

/** Compaction runs when a compacted partition holds this many times more records than keys. */
const COMPACTION_RATIO = 2;
const COMPACTION_MIN_RECORDS = 1_000;

/**
 * A durable, partitioned, in-process log with Kafka's semantics for what Kairos relies on:
 * keyed records go to the partition the Java client would pick (murmur2), order holds per
 * partition, consumer groups keep committed offsets, compacted topics keep the latest record
 * per key. Consumers (InProcessGroupConsumer) pull from it; this class owns the data.
 */
export class InProcessLog {
  private readonly partitions = new Map<TopicName, PartitionLog[]>();
  private readonly compacted = new Set<TopicName>();
  private readonly offsets: CommittedOffsets;
  private readonly lock: DirectoryLock;
  private readonly listeners = new Set<AppendListener>();
  private readonly roundRobin = new Map<TopicName, number>();
  private readonly clock: () => number;
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Bytes cut from torn tails when the log was opened (0 after a clean shutdown). */
  readonly recoveredTornBytes: number;

  private constructor(private readonly options: InProcessLogOptions) {
    const root = join(options.dir, 'log');
    mkdirSync(root, { recursive: true });
    this.lock = DirectoryLock.acquire(options.dir);
    this.clock = options.clock ?? Date.now;
    let torn = 0;
    try {
      checkLayout(root, options.partitions);
      for (const spec of options.topics ?? TOPIC_SPECS) {
        const logs: PartitionLog[] = [];
        for (let p = 0; p < options.partitions; p++) {
          const log = new PartitionLog(
            join(root, spec.name, String(p)),
            options.segmentBytes ?? 64 * 1_048_576,
          );
          torn += log.recoveredTornBytes;
          // At open the whole partition is read anyway: compact whatever has duplicates.
          if (spec.compacted && log.size > log.distinctKeys) log.compact();
          logs.push(log);
        }
        this.partitions.set(spec.name, logs);
        if (spec.compacted) this.compacted.add(spec.name);
      }
      this.offsets = new CommittedOffsets(root);
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.recoveredTornBytes = torn;
    if (options.fsyncIntervalMs > 0) {
      this.flushTimer = setInterval(() => this.flushInBackground(), options.fsyncIntervalMs);
      this.flushTimer.unref();
    }
  }

  static open(options: InProcessLogOptions): InProcessLog {
    return new InProcessLog(options);
  }

  get partitionsPerTopic(): number {
    return this.options.partitions;
  }

  topics(): TopicName[] {
    return [...this.partitions.keys()];
  }

  /**
   * Appends records, each to its key's partition (keyless ones round-robin), in the order
   * given. When this returns, the records are readable and written to the OS.
   */
  append(topic: TopicName, inputs: readonly AppendInput[]): AppendedRecord[] {
    if (this.closed) throw new Error('the in-process log is closed');
    const logs = this.partitionsOf(topic);
    const timestamp = this.clock();
    const byPartition = new Map<number, AppendInput[]>();
    for (const input of inputs) {
      const partition =
        input.key === null ? this.nextRoundRobin(topic) : partitionForKey(input.key, logs.length);
      const list = byPartition.get(partition) ?? [];
      list.push(input);
      byPartition.set(partition, list);
    }
    const appended: AppendedRecord[] = [];
    for (const [partition, list] of byPartition) {
      const log = logs[partition]!;
      const records = log.append(
        list.map((input) => ({
          key: input.key,
          value: input.value,
          headers: { ...input.headers },
          timestamp,
        })),
      );
      if (this.options.fsyncIntervalMs === 0) log.sync();
      for (const record of records) appended.push({ ...record, partition });
      if (this.compacted.has(topic) && this.worthCompacting(log)) log.compact();
    }
    for (const partition of byPartition.keys()) {
      for (const listener of this.listeners) listener(topic, partition);
    }
    return appended;
  }

  read(topic: TopicName, partition: number, from: number, max: number): LogRecord[] {
    return this.partition(topic, partition).read(from, max);
  }

  startOffset(topic: TopicName, partition: number): number {
    return this.partition(topic, partition).startOffset;
  }

  endOffset(topic: TopicName, partition: number): number {
    return this.partition(topic, partition).endOffset;
  }

  committed(group: string, topic: TopicName, partition: number): number | undefined {
    return this.offsets.get(group, topic, partition);
  }

  commit(group: string, topic: TopicName, partition: number, nextOffset: number): void {
    this.offsets.set(group, topic, partition, nextOffset);
    if (this.options.fsyncIntervalMs === 0) this.offsets.save();
  }

  /** Where a group resumes on a partition: its committed offset, else the log start. */
  position(group: string, topic: TopicName, partition: number): number {
    return this.committed(group, topic, partition) ?? this.startOffset(topic, partition);
  }

  /** Lag per partition: end offset minus committed offset (log start when none committed). */
  lag(group: string, topic: TopicName): Map<number, number> {
    const lags = new Map<number, number>();
    for (let p = 0; p < this.partitionsOf(topic).length; p++) {
      lags.set(p, Math.max(0, this.endOffset(topic, p) - this.position(group, topic, p)));
    }
    return lags;
  }

  committedSnapshot(): OffsetsSnapshot {
    return this.offsets.snapshot();
  }

  /**
   * Sets every group's offsets to a checkpoint taken together with the state they describe
   * (groups absent from it start over), before any consumer starts.
   */
  replaceCommitted(snapshot: OffsetsSnapshot): void {
    this.offsets.replaceAll(snapshot);
    this.offsets.save();
  }

  /**
   * Frees what every consumer group is past: on each non-compacted topic that groups committed
   * on, the records below the lowest committed offset per partition (per `offsets`, e.g. the
   * offsets a state snapshot covers, so a restart never needs them again). Compacted topics are
   * read from the start by broadcast readers and are kept; so are topics no group consumes.
   */
  trimConsumed(offsets: OffsetsSnapshot): number {
    let dropped = 0;
    for (const [topic, logs] of this.partitions) {
      if (this.compacted.has(topic)) continue;
      const groups = Object.values(offsets).filter((byTopic) => byTopic[topic] !== undefined);
      if (groups.length === 0) continue;
      logs.forEach((log, partition) => {
        const lowest = Math.min(
          ...groups.map((byTopic) => byTopic[topic]?.[String(partition)] ?? 0),
        );
        dropped += log.trimBefore(lowest);
      });
    }
    return dropped;
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private flushInBackground(): void {
    if (this.closed) return;
    for (const logs of this.partitions.values()) for (const log of logs) log.syncInBackground();
    this.offsets.save();
  }

  /** fsyncs every dirty segment and saves committed offsets. */
  flush(): void {
    if (this.closed) return;
    for (const logs of this.partitions.values()) for (const log of logs) log.sync();
    this.offsets.save();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.flushTimer !== null) clearInterval(this.flushTimer);
    for (const logs of this.partitions.values()) for (const log of logs) log.close();
    this.listeners.clear();
    this.lock.release();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private worthCompacting(log: PartitionLog): boolean {
    return log.size >= COMPACTION_MIN_RECORDS && log.size > COMPACTION_RATIO * log.distinctKeys;
  }

  private nextRoundRobin(topic: TopicName): number {
    const next = this.roundRobin.get(topic) ?? 0;
    this.roundRobin.set(topic, next + 1);
    return next % this.options.partitions;
  }

  private partitionsOf(topic: TopicName): PartitionLog[] {
    const logs = this.partitions.get(topic);
    if (logs === undefined) throw new Error(`unknown topic ${topic}`);
    return logs;
  }

  private partition(topic: TopicName, partition: number): PartitionLog {
    const log = this.partitionsOf(topic)[partition];
    if (log === undefined) throw new Error(`${topic} has no partition ${partition}`);
    return log;
  }
}

/**
 * Keys map to partitions by count: reopening a log with another partition count would move
 * users between partitions and break per-user order, so it is refused.
 */
function checkLayout(root: string, partitions: number): void {
  const path = join(root, 'layout.json');
  if (!existsSync(path)) {
    writeFileSync(path, JSON.stringify({ partitions }));
    return;
  }
  const layout = JSON.parse(readFileSync(path, 'utf8')) as { partitions?: unknown };
  if (layout.partitions !== partitions) {
    throw new Error(
      `${root} was created with ${String(layout.partitions)} partitions per topic, not ${partitions}: ` +
        `set KAFKA_TOPIC_PARTITIONS=${String(layout.partitions)} or use a new KAIROS_DATA_DIR`,
    );
  }
}
