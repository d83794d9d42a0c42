import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { type ModelRef } from '@kairos/model';
import { withSpan } from '@kairos/telemetry';
import { EngineService, type ServingEngine } from '../engine/engine.service';
import { RecommenderMetrics } from '../recommender.metrics';
import { EmbeddingReplicationService } from './embedding-replication.service';
import { EmbeddingStore, type UserVectorUpdate } from './embedding.store';

/** What changed since the last checkpoint, in the space of one model. */
interface Pending {
  readonly model: ModelRef;
  readonly itemIds: Set<string>;
  readonly userIds: Set<string>;
}

/**
 * Write-behind for what the engine learns online: item rows go to MongoDB `item_embeddings` and
 * the `item-embeddings` topic, user vectors to `user_embeddings`, every
 * EMBEDDING_CHECKPOINT_INTERVAL_MS, each changed row or vector once however often it changed.
 *
 * Why not with every batch: a transition changes the target, the sampled negatives and the
 * user's whole history (~25 rows), so writing per batch made these writes most of the storage
 * and broker traffic and put them between an event and its recommendation list. A user's
 * history rows change on each of their events, so a one-second window writes each far fewer
 * times.
 *
 * What a crash costs: learning of the last interval (rows and vectors nudged by events whose
 * offsets are already committed). No event and no recommendation list is lost: session state
 * is the feature service's and lists are written before offsets are committed. A graceful stop
 * flushes. With the interval set to 0, every batch writes before it is committed.
 */
@Injectable()
export class EmbeddingCheckpointService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('embeddings');
  private pending: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /**
   * Rows appended to storage since the last full write, for the model served then; null until
   * this replica's first full write (which also compacts what earlier runs left).
   */
  private appendedSinceFullWrite: { model: ModelRef; rows: number } | null = null;

  constructor(
    private readonly engines: EngineService,
    private readonly embeddings: EmbeddingStore,
    private readonly replication: EmbeddingReplicationService,
    private readonly metrics: RecommenderMetrics,
    @InjectConfig() private readonly config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const intervalMs = this.config.recommender.embeddingCheckpointMs;
    if (intervalMs === 0) return;
    this.timer = setInterval(() => {
      this.flush().catch(() => undefined); // logged and retried by flush itself
    }, intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => undefined);
  }

  /**
   * Records rows and vectors the engine changed for `model`. Resolves at once, or, with
   * checkpoints every batch (interval 0), once they are written.
   */
  async changed(
    model: ModelRef,
    itemIds: Iterable<string>,
    userIds: Iterable<string>,
  ): Promise<void> {
    this.mark(model, itemIds, userIds);
    if (this.config.recommender.embeddingCheckpointMs === 0) await this.flush();
  }

  /** Writes everything changed so far; checkpoints run one at a time, in order. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.writePending());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async writePending(): Promise<void> {
    const taken = this.pending;
    this.pending = null;
    const serving = this.engines.current();
    if (taken === null || serving === null || !sameModel(taken.model, serving.model)) return;
    const { engine, model } = serving;
    const started = performance.now();
    // Exported now, in one synchronous step: the latest values, copied before any await.
    const rows = engine.exportRows([...taken.itemIds]);
    const learned = engine.learnedItemIds();
    const fullWrite = this.fullWriteDue(model, rows.length, learned.length);
    const stored = fullWrite ? engine.exportRows(learned) : rows;
    // User vectors are read as the store writes them, not copied here: after a burst (a
    // recommender catching up) one checkpoint may cover most users, and copies of all their
    // vectors with the write operations around them held ~50 MB until the last chunk was written.
    // A vector read later is newer, and one that changes again is marked for the next checkpoint.
    const users = liveUserVectors(engine, model, taken.userIds);
    const now = this.clock();
    try {
      // Its own trace (a timer, not a request, starts it); the MongoDB spans are its children.
      await withSpan(
        'embedding.checkpoint',
        () =>
          Promise.all([
            fullWrite
              ? this.embeddings.replaceAllRows(stored, model, now)
              : this.embeddings.appendRows(stored, model, now),
            this.embeddings.saveUsers(users, model, now),
            this.replication.publish(rows, model),
          ]),
        {
          attributes: {
            'kairos.item_rows': rows.length,
            'kairos.item_rows_stored': stored.length,
            'kairos.full_write': fullWrite,
            'kairos.users': taken.userIds.size,
          },
        },
      );
      const appended = fullWrite ? 0 : (this.appendedSinceFullWrite?.rows ?? 0) + rows.length;
      this.appendedSinceFullWrite = { model, rows: appended };
      this.metrics.checkpointSeconds.observe((performance.now() - started) / 1_000);
    } catch (error) {
      // Back into the next checkpoint (merged with what changed meanwhile), never dropped.
      this.metrics.checkpointFailures.inc();
      this.logger.warn(
        `checkpoint of ${rows.length} row(s) and ${taken.userIds.size} user vector(s) failed, ` +
          `retrying with the next one: ${String(error)}`,
      );
      // Unless a newer model's marks took the slot meanwhile (read anew: awaits passed).
      const current = this.pending as Pending | null;
      if (current === null || sameModel(current.model, model)) {
        this.mark(model, taken.itemIds, taken.userIds);
      }
      throw error;
    }
  }

  /**
   * A full write (every learned row, then the older batches dropped) once the rows appended since
   * the last one add up to the table's learned rows: storage then holds at most about twice the
   * table, and each row costs at most two writes. When most learned rows change within an
   * interval (steady traffic over few users), every checkpoint is a full write.
   */
  private fullWriteDue(model: ModelRef, changedRows: number, learnedRows: number): boolean {
    if (changedRows === 0) return false;
    const since = this.appendedSinceFullWrite;
    if (since === null || !sameModel(since.model, model)) return true;
    return since.rows + changedRows >= learnedRows;
  }

  private mark(model: ModelRef, itemIds: Iterable<string>, userIds: Iterable<string>): void {
    let pending = this.pending;
    if (pending === null || !sameModel(pending.model, model)) {
      // Marks of a model no longer served are dropped: activating a model re-seeds the table.
      pending = { model, itemIds: new Set(), userIds: new Set() };
      this.pending = pending;
    }
    for (const itemId of itemIds) pending.itemIds.add(itemId);
    for (const userId of userIds) pending.userIds.add(userId);
  }
}

/**
 * The engine's own vectors (not copies) of these users, those it still has, while it still
 * serves `model`: activating another model restarts the vectors in the same engine (in the new
 * model's space), and those must not be stored under the old name. What was not written by then
 * is dropped, as marks of a model no longer served are.
 */
function* liveUserVectors(
  engine: ServingEngine['engine'],
  model: ModelRef,
  userIds: Iterable<string>,
): Generator<UserVectorUpdate> {
  const modelVersion = `${model.name}/${model.version}`;
  for (const userId of userIds) {
    if (engine.modelVersion !== modelVersion) return;
    const vector = engine.userEmbedding(userId);
    if (vector !== undefined) yield { userId, vector };
  }
}

function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.name === b.name && a.version === b.version;
}
