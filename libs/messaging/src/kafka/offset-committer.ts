import { type Consumer } from 'kafkajs';

interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read: last handled + 1. */
  readonly offset: string;
}

/**
 * Makes a consumer's progress durable once its handler is done with records.
 *
 * With `intervalMs` 0 every handled step is committed before the next (one OffsetCommit round
 * trip per step). Above 0, handled offsets are kept and committed together at most once per
 * interval, and by a timer when no further step comes: at low rates each fetch carries one or
 * two records, so committing each one costs a request in the app and a write to
 * `__consumer_offsets` in the broker per record. Delivery stays at-least-once: a crash or a lost
 * partition replays at most the last interval's records, which every consumer here dedupes
 * (the feature service by its applied-offset watermark, the recommender by event time).
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PartitionOffset>();
  private lastCommitAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly consumer: Pick<Consumer, 'commitOffsets'>,
    private readonly intervalMs: number,
    private readonly onDeferredFailure: (error: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Records that the handler finished everything before `offset`. With no interval, commits
   * now and throws if the broker refuses (the caller rewinds); otherwise a refused commit is
   * reported and retried with the next one.
   */
  async handled(topic: string, partition: number, offset: string): Promise<void> {
    if (this.intervalMs === 0) {
      await this.consumer.commitOffsets([{ topic, partition, offset }]);
      return;
    }
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset });
    if (this.clock() - this.lastCommitAt >= this.intervalMs) {
      await this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Commits what is pending now (at shutdown, when a rebalance starts). Never throws. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    this.lastCommitAt = this.clock();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (error) {
      // Kept for the next commit unless a newer offset of the same partition arrived meanwhile.
      for (const entry of offsets) {
        const key = `${entry.topic}:${entry.partition}`;
        if (!this.pending.has(key)) this.pending.set(key, entry);
      }
      this.onDeferredFailure(error);
      if (this.timer === null) {
        this.timer = setTimeout(() => void this.flush(), this.intervalMs);
        this.timer.unref();
      }
    }
  }

  /**
   * Drops offsets of partitions this member no longer owns after a rebalance: committing them
   * later could move the new owner's position back.
   */
  keepOnly(assigned: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, entry] of this.pending) {
      if (!(assigned[entry.topic] ?? []).includes(entry.partition)) this.pending.delete(key);
    }
  }
}
