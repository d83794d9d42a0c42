import { Logger } from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { RetryBackoff } from '../kafka/retry-backoff';
import { type InProcessLog } from './in-process-log';
import { type LogRecord } from './log-record';

/** Records per delivered partition batch unless the options say otherwise. */
const DEFAULT_MAX_BATCH_RECORDS = 500;

export interface DeliveredBatch {
  readonly topic: TopicName;
  readonly partition: number;
  /** Consecutive records of one partition, in offset order. */
  readonly records: readonly LogRecord[];
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly TopicName[];
  /** Resolves = processed (the offsets are committed); throws = redeliver after a backoff. */
  readonly handler: (batch: DeliveredBatch) => Promise<void>;
  readonly maxBatchRecords?: number;
  /** Partitions processed at once by this member (Kafka's partitionsConsumedConcurrently). */
  readonly concurrency?: number;
  readonly backoff?: RetryBackoff;
  /**
   * A broadcast reader: a group of its own whose positions live in memory only and start at the
   * log start, so every start re-reads the whole (compacted) topic. Nothing is committed.
   */
  readonly ephemeral?: boolean;
}

/** Members of each group of one log, and which partitions are being processed right now. */
class GroupCoordinator {
  readonly members = new Map<string, InProcessGroupConsumer[]>();
  /** `group/topic/partition` with a batch in flight: nobody else may start that partition. */
  readonly busy = new Set<string>();

  join(member: InProcessGroupConsumer): void {
    const list = this.members.get(member.groupId) ?? [];
    list.push(member);
    this.members.set(member.groupId, list);
    this.rebalance(member.groupId);
  }

  leave(member: InProcessGroupConsumer): void {
    const list = (this.members.get(member.groupId) ?? []).filter((m) => m !== member);
    this.members.set(member.groupId, list);
    this.rebalance(member.groupId);
  }

  /** Round-robin per topic over members in join order, like Kafka's round-robin assignor. */
  rebalance(groupId: string): void {
    const list = this.members.get(groupId) ?? [];
    list.forEach((member, index) => member.assign(index, list.length));
    this.wake(groupId);
  }

  wake(groupId: string): void {
    for (const member of this.members.get(groupId) ?? []) member.schedule();
  }
}

const coordinators = new WeakMap<InProcessLog, GroupCoordinator>();

function coordinatorOf(log: InProcessLog): GroupCoordinator {
  let coordinator = coordinators.get(log);
  if (coordinator === undefined) {
    coordinator = new GroupCoordinator();
    coordinators.set(log, coordinator);
  }
  return coordinator;
}

/**
 * One member of a consumer group on the in-process log. Each assigned partition is delivered in
 * batches, one batch at a time, in offset order; the group's offset moves past a batch only when
 * the handler resolved. A failed batch is redelivered from the committed offset after an
 * exponential backoff, so a transient failure delays its partition but never skips a record.
 * Members of a group split the partitions; when one leaves, the others take its partitions
 * over from the committed offsets.
 */
export class InProcessGroupConsumer {
  private readonly logger: Logger;
  private readonly coordinator: GroupCoordinator;
  private readonly backoff: RetryBackoff;
  private readonly assigned = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /**
   * Partitions whose last batch failed and whose backoff timer has not fired yet. The timer alone
   * ends the wait: comparing Date.now() with a deadline instead lost redeliveries, because a
   * timer may fire while the wall clock still reads a millisecond before that deadline, and
   * then nothing woke the partition again.
   */
  private readonly backingOff = new Set<string>();
  /** Positions of an ephemeral (broadcast) reader. */
  private readonly positions = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private scheduled = false;
  private running = false;

  constructor(
    private readonly log: InProcessLog,
    private readonly options: GroupConsumerOptions,
  ) {
    this.logger = new Logger(`in-process:${options.groupId}`);
    this.coordinator = coordinatorOf(log);
    this.backoff = options.backoff ?? new RetryBackoff();
  }

  get groupId(): string {
    return this.options.groupId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.log.onAppend((topic) => {
      if (this.options.topics.includes(topic)) this.schedule();
    });
    this.coordinator.join(this);
  }

  /** Stops fetching and waits for the batches in flight (which still commit). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.coordinator.leave(this);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Partitions owned by this member, as `topic/partition`. */
  assignment(): string[] {
    return [...this.assigned].sort();
  }

  assign(index: number, members: number): void {
    this.assigned.clear();
    for (const topic of this.options.topics) {
      for (let p = 0; p < this.log.partitionsPerTopic; p++) {
        if (p % members === index) this.assigned.add(`${topic}/${p}`);
      }
    }
  }

  schedule(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = true;
    // Appends of the same tick end up in one batch.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.running || !this.log.isOpen) return;
    const concurrency = this.options.concurrency ?? 3;
    for (const key of this.assigned) {
      if (this.inFlight.size >= concurrency) return;
      const busyKey = `${this.groupId}/${key}`;
      if (this.inFlight.has(key) || this.coordinator.busy.has(busyKey)) continue;
      if (this.backingOff.has(key)) continue;
      const [topic, partition] = splitKey(key);
      const from = this.position(topic, partition);
      const records = this.log.read(
        topic,
        partition,
        from,
        this.options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
      );
      if (records.length === 0) continue;
      this.coordinator.busy.add(busyKey);
      const delivery = this.deliver(key, { topic, partition, records }).finally(() => {
        this.inFlight.delete(key);
        this.coordinator.busy.delete(busyKey);
        this.coordinator.wake(this.groupId);
      });
      this.inFlight.set(key, delivery);
    }
  }

  private async deliver(key: string, batch: DeliveredBatch): Promise<void> {
    try {
      await this.options.handler(batch);
      const next = batch.records[batch.records.length - 1]!.offset + 1;
      if (this.options.ephemeral === true) this.positions.set(key, next);
      else if (this.log.isOpen) this.log.commit(this.groupId, batch.topic, batch.partition, next);
      this.backoff.succeeded(key);
    } catch (error) {
      const delayMs = this.backoff.failed(key);
      this.backingOff.add(key);
      this.logger.warn(
        `batch ${key}@${batch.records[0]!.offset}..${batch.records[batch.records.length - 1]!.offset} ` +
          `failed, redelivering in ${delayMs} ms without committing: ${describe(error)}`,
      );
      setTimeout(() => {
        this.backingOff.delete(key);
        this.schedule();
      }, delayMs).unref();
    }
  }

  private position(topic: TopicName, partition: number): number {
    if (this.options.ephemeral === true) {
      return this.positions.get(`${topic}/${partition}`) ?? this.log.startOffset(topic, partition);
    }
    return this.log.position(this.groupId, topic, partition);
  }
}

function splitKey(key: string): [TopicName, number] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash) as TopicName, Number(key.slice(slash + 1))];
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
