export interface PartitionOffset {
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
  /** One commit at a time: a later one must never land before an earlier one fails. */
  private committing: Promise<void> = Promise.resolve();
  /** Moves on every rebalance: a commit refused across one is not retried. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onDeferredFailure: (error: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Records that the handler finished everything before `offset`. With no interval, commits
   * now (through `commit` if given: a stopping kafkajs consumer commits only through its batch
   * payload) and throws if the broker refuses (the caller rewinds); otherwise a refused commit
   * is reported and retried with the next one.
   */
  async handled(
    topic: string,
    partition: number,
    offset: string,
    commit = this.commit,
  ): Promise<void> {
    if (this.intervalMs === 0) {
      await commit([{ topic, partition, offset }]);
      return;
    }
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset });
    if (this.clock() - this.lastCommitAt >= this.intervalMs) {
      await this.flush(commit);
    } else {
      this.schedule();
    }
  }

  /**
   * Commits what is pending, after any commit still in flight; `commit` overrides how (a
   * stopping kafkajs consumer commits only through its batch payload). Never throws.
   */
  flush(commit = this.commit): Promise<void> {
    const next = this.committing.then(() => this.commitPending(commit));
    this.committing = next;
    return next;
  }

  /**
   * After a rebalance: kafkajs starts every assigned partition again from its committed offset,
   * so pending offsets are forgotten (their records are handled again and deduped). Committing
   * them later could move a partition back: a member that was frozen through the rebalance holds
   * offsets older than what the partition's next owner has committed since.
   */
  forgetPending(): void {
    this.generation += 1;
    this.pending.clear();
  }

  /** After the consumer left its group: nothing more can be committed. */
  close(): void {
    this.closed = true;
    this.pending.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async commitPending(
    commit: (offsets: readonly PartitionOffset[]) => Promise<void>,
  ): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0 || this.closed) return;
    const offsets = [...this.pending.values()];
    const generation = this.generation;
    this.pending.clear();
    this.lastCommitAt = this.clock();
    try {
      await commit(offsets);
    } catch (error) {
      this.onDeferredFailure(error);
      if (generation !== this.generation) return; // offsets of an assignment that is gone
      // Kept for the next commit unless a newer offset of the same partition arrived meanwhile.
      for (const entry of offsets) {
        const key = `${entry.topic}:${entry.partition}`;
        if (!this.pending.has(key)) this.pending.set(key, entry);
      }
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }
}
