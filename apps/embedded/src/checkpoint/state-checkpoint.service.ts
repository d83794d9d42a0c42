import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { InProcessLog, type OffsetsSnapshot } from '@kairos/messaging';
import { StateSnapshots } from '@kairos/storage';

interface Checkpoint {
  readonly offsets: OffsetsSnapshot;
}

/**
 * What makes an embedded restart lose nothing: the in-memory state and the consumer groups'
 * offsets are captured at the same instant (synchronously) into one snapshot file, every
 * KAIROS_SNAPSHOT_INTERVAL_MS and at shutdown. At start the stores restore the snapshot and the
 * groups resume from the offsets in it, so every record appended after it (the log itself is
 * durable at append) is replayed; processing is idempotent (dedupe by eventId and offset), so a
 * record whose effect was already in the snapshot is not counted twice. After each snapshot the
 * log drops what it covers, so memory and disk hold only what is not yet in a snapshot.
 */
@Injectable()
export class StateCheckpointService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('checkpoint');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly snapshots: StateSnapshots,
    private readonly log: InProcessLog,
    @InjectConfig() private readonly config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** Module init runs before the consumers start (platform boot order). */
  onModuleInit(): void {
    const checkpoint = this.snapshots.loaded?.checkpoint as Checkpoint | undefined;
    this.log.replaceCommitted(checkpoint?.offsets ?? {});
    const replay = ['feature', 'recommender']
      .map((group) =>
        [...this.log.topics()].reduce((sum, topic) => sum + this.lagOf(group, topic), 0),
      )
      .reduce((a, b) => a + b, 0);
    this.logger.log(
      `${this.snapshots.loaded === null ? 'no snapshot yet' : 'snapshot restored'}; ` +
        `${replay} record(s) to replay from the log`,
    );
    this.timer = setInterval(() => this.checkpoint(), this.config.embedded.snapshotIntervalMs);
    this.timer.unref();
  }

  checkpoint(): void {
    try {
      const offsets = this.log.committedSnapshot();
      this.snapshots.write(this.snapshots.capture({ offsets } satisfies Checkpoint, this.clock()));
      // Only now, with the snapshot on disk, is what it covers never needed again.
      if (this.log.isOpen) this.log.trimConsumed(offsets);
    } catch (error) {
      // The previous snapshot stays valid; the log keeps everything since, so nothing is lost.
      this.logger.error(`state snapshot failed: ${String(error)}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.checkpoint();
  }

  private lagOf(group: string, topic: ReturnType<InProcessLog['topics']>[number]): number {
    let total = 0;
    for (const lag of this.log.lag(group, topic).values()) total += lag;
    return total;
  }
}
