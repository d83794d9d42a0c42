import { Injectable, Logger } from '@nestjs/common';
import { type Clock, InjectClock } from '@kairos/config';
import { SessionFeaturesRecord, Topic } from '@kairos/contracts';
import {
  type DeadLetter,
  DeadLetterPublisher,
  decodeRecord,
  type InboundBatch,
  type InboundMessage,
} from '@kairos/messaging';
import { withSpan } from '@kairos/telemetry';
import { CatalogService } from '../catalog/catalog.service';
import { EmbeddingCheckpointService } from '../embeddings/embedding-checkpoint.service';
import { EmbeddingStore } from '../embeddings/embedding.store';
import { EngineService, type ServingEngine } from '../engine/engine.service';
import { PRECOMPUTED_ITEMS, type RecommendationList } from '../recommendations/recommendation';
import { RecommendationNotifier } from '../recommendations/recommendation-notifier.service';
import { RecommendationStore } from '../recommendations/recommendation.store';
import { RecommenderMetrics } from '../recommender.metrics';
import { NewInteractions } from './new-interactions';
import { traceIdOf } from './trace-id';

/**
 * Users scored and written per step of a batch. A consumer catching up receives thousands of
 * records per partition batch, and up to one batch per partition is processed at once; scoring
 * and writing them all before the first write held millions of list entries in memory (1.2 GiB
 * RSS at 45,000 users in the memory bench). Slices bound that, whatever the lag.
 */
export const USERS_PER_SLICE = 256;

/**
 * One consumed `session-features` batch → learned, scored and stored:
 * 1. undecodable records go to `session-features.dlq`;
 * 2. the events the engine has not seen are learned (item rows, prior, user vectors); the changed
 *    rows and vectors are left to the next checkpoint (EmbeddingCheckpointService, every few seconds) for MongoDB
 *    and the other replicas;
 * 3. the batch's users are scored, one inference call per slice of USERS_PER_SLICE (not per
 *    record);
 * 4. each slice's lists are written to MongoDB, then cached, then handed to whoever watches those
 *    users (the demo's live stream), before the next slice is scored. Offsets are committed after
 *    `process` resolves; any failure throws and the transport retries the batch.
 * With no active model, the batch fails and is retried: nothing is skipped while models load.
 */
@Injectable()
export class RecommendationUpdateService {
  private readonly logger = new Logger('recommendations');
  private readonly fresh = new NewInteractions();

  constructor(
    private readonly engines: EngineService,
    private readonly catalog: CatalogService,
    private readonly store: RecommendationStore,
    private readonly checkpoint: EmbeddingCheckpointService,
    private readonly embeddings: EmbeddingStore,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly metrics: RecommenderMetrics,
    private readonly notifier: RecommendationNotifier,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async process(batch: InboundBatch): Promise<void> {
    this.metrics.batchSize.observe(batch.messages.length);
    const receivedAt = this.clock();
    const serving = this.engines.current();
    if (serving === null) throw new Error('no active model yet: the batch waits for one');
    const { valid, latest, latestHeaders, deadLetters } = decode(batch);
    await this.deadLetters.send(Topic.SessionFeaturesDlq, deadLetters, this.clock());
    for (const letter of deadLetters) this.metrics.deadLettered.inc({ code: letter.failure.code });
    if (latest.size === 0) return;

    const { engine, model } = serving;
    const records = [...latest.values()];
    const userIds = records.map((record) => record.userId);
    await withSpan('embedding.update', async (span) => {
      await this.restoreUserVectors(userIds);
      // Every snapshot in order, not only the latest: a session that closed mid-batch took
      // events with it that only the earlier snapshots carry.
      const learned = engine.observe(this.fresh.extract(valid));
      this.metrics.embeddingRows.inc({ origin: 'local' }, learned.changedItemIds.length);
      span?.setAttributes({
        'kairos.item_rows': learned.changedItemIds.length,
        'kairos.users': userIds.length,
      });
      // Written by the next checkpoint (MongoDB and the replicas), not on this batch's path.
      await this.checkpoint.changed(model, learned.changedItemIds, userIds);
    });

    for (let start = 0; start < records.length; start += USERS_PER_SLICE) {
      const slice = records.slice(start, start + USERS_PER_SLICE);
      await this.scoreAndWrite(slice, serving, { latestHeaders, receivedAt });
    }
    this.logger.debug(`wrote ${records.length} list(s) from ${batch.messages.length} record(s)`);
  }

  /** Scores one slice of the batch's users, then writes, caches and announces their lists. */
  private async scoreAndWrite(
    records: readonly SessionFeaturesRecord[],
    { engine, model }: ServingEngine,
    context: {
      readonly latestHeaders: ReadonlyMap<string, InboundMessage['headers']>;
      readonly receivedAt: number;
    },
  ): Promise<void> {
    const answers = await engine.recommend(
      records.map((record) => ({ userId: record.userId })),
      { k: PRECOMPUTED_ITEMS, excludeSeen: true, unavailable: this.catalog.unavailable() },
    );
    const computedAt = this.clock();
    const lists = records.map((record, index): RecommendationList => ({
      userId: record.userId,
      items: answers[index] ?? [],
      model,
      asOfEventId: record.lastEventId ?? null,
      asOfEventTime: record.eventTime ?? null,
      asOfVersion: record.profile.totalEvents,
      computedAt,
    }));
    await withSpan('recommendation.write', () => this.store.saveMany(lists), {
      attributes: { 'kairos.lists': lists.length },
    });
    const savedAt = this.clock();
    for (const [index, list] of lists.entries()) {
      if (list.asOfEventTime !== null)
        this.metrics.freshnessSeconds.observe(Math.max(0, computedAt - list.asOfEventTime) / 1_000);
      if (this.notifier.isWatched(list.userId)) {
        this.notifier.notify({
          list,
          traceId: traceIdOf(context.latestHeaders.get(list.userId)),
          featureProcessedAt: epochMsOrNull(records[index]?.processedAt),
          receivedAt: context.receivedAt,
          savedAt,
        });
      }
    }
  }

  /** Long-term vectors of users this replica has not seen since it started (restart, rebalance). */
  private async restoreUserVectors(userIds: readonly string[]): Promise<void> {
    const serving = this.engines.current();
    if (serving === null) return;
    const unknown = userIds.filter((userId) => serving.engine.userEmbedding(userId) === undefined);
    if (unknown.length === 0) return;
    const stored = await this.embeddings.usersOf(unknown, serving.model);
    for (const [userId, vector] of stored) serving.engine.restoreUserEmbedding(userId, vector);
  }
}

/**
 * Valid snapshots in log order, the newest per user (it supersedes the earlier ones) with its
 * record headers (trace context), the rest.
 */
function decode(batch: InboundBatch): {
  valid: SessionFeaturesRecord[];
  latest: Map<string, SessionFeaturesRecord>;
  latestHeaders: Map<string, InboundMessage['headers']>;
  deadLetters: DeadLetter[];
} {
  const valid: SessionFeaturesRecord[] = [];
  const latest = new Map<string, SessionFeaturesRecord>();
  const latestHeaders = new Map<string, InboundMessage['headers']>();
  const deadLetters: DeadLetter[] = [];
  for (const message of batch.messages) {
    const decoded = decodeRecord(message, SessionFeaturesRecord);
    if ('failure' in decoded) {
      deadLetters.push({ message, failure: decoded.failure });
      continue;
    }
    valid.push(decoded.value);
    latest.set(decoded.value.userId, decoded.value);
    latestHeaders.set(decoded.value.userId, message.headers);
  }
  return { valid, latest, latestHeaders, deadLetters };
}

/** `processedAt` is informational on the record (not validated): a number or nothing. */
function epochMsOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
