import { Injectable, Logger } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { RecordHeader, SCHEMA_VERSION, Topic, UserEventMessage } from '@kairos/contracts';
import {
  ConsumerAssignments,
  type DeadLetter,
  DeadLetterPublisher,
  decodeRecord,
  type InboundBatch,
  MessagePublisher,
} from '@kairos/messaging';
import { traceHeadersFrom, withSpan } from '@kairos/telemetry';
import { FeatureMetrics } from '../feature.metrics';
import { toSessionFeatures } from '../sessions/session-features';
import { applyEvents, DEFAULT_SESSION_RULES, type IncomingEvent } from '../sessions/session-window';
import { type SessionRules, type UserState } from '../sessions/user-state';
import { SessionArchiveStore, type SessionSnapshot } from '../storage/session-archive.store';
import { UserStateStore, type VersionedState } from '../storage/user-state.store';
import { WrittenStates } from './written-states';

/** Lost optimistic-concurrency races are reapplied this many times before the batch is retried. */
const MAX_WRITE_ATTEMPTS = 5;
/**
 * Users whose last written state is kept in memory, the most recently written (whose next event
 * is likely soon). A state holds from ~1 KB (new user) to ~30 KB (the soak's users after 250
 * events) to ~270 KB (the largest the session rules allow: 1,000 distinct items and 200 event
 * ids of 128 characters), measured by bench/feature/written-states-memory.bench.ts: 2,000 soak
 * users hold ~60 MB, and the heap budget, not the count, bounds the worst case (~120 MB in 455
 * such states, where 2,000 would hold ~530 MB).
 */
const WRITTEN_STATES_BOUNDS = { maxStates: 2_000, maxBytes: 128 * 2 ** 20 } as const;

/**
 * One consumed batch → durable user state → `session-features`. Steps, each durable before the
 * next, so that the offsets committed after `process` resolves never skip work:
 * 1. undecodable records go to `events.dlq` (acknowledged);
 * 2. events are coalesced per user and applied to the stored state (dedupe inside applyEvents);
 * 3. session snapshots are upserted into `sessions`, then the states are written with one
 *    conditional bulkWrite; lost races are reloaded and reapplied;
 * 4. every user of the batch gets a fresh snapshot on `session-features` (also on redelivery,
 *    so a crash between steps 3 and 4 loses no update).
 * Any failure (MongoDB or broker down) throws: the transport rewinds and retries the batch.
 */
@Injectable()
export class SessionUpdateService {
  private readonly logger = new Logger('sessions');
  private readonly written = new WrittenStates(WRITTEN_STATES_BOUNDS);
  readonly rules: SessionRules;

  constructor(
    private readonly users: UserStateStore,
    private readonly sessions: SessionArchiveStore,
    private readonly publisher: MessagePublisher,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly metrics: FeatureMetrics,
    @InjectConfig() config: KairosConfig,
    @InjectClock() private readonly clock: Clock,
    assignments: ConsumerAssignments,
  ) {
    this.rules = { ...DEFAULT_SESSION_RULES, ...config.sessions };
    assignments.onChange('feature', () => this.written.clear());
  }

  async process(batch: InboundBatch): Promise<void> {
    const started = performance.now();
    const now = this.clock();
    const { byUser, deadLetters, lastMessageOf } = this.decode(batch);
    await this.deadLetters.send(Topic.EventsDlq, deadLetters, now);
    for (const letter of deadLetters) this.metrics.deadLettered.inc({ code: letter.failure.code });

    // Sessionization and the conditional bulk write: the MongoDB spans are its children.
    const final = await withSpan(
      'session.update',
      async (span) => {
        const saved = await this.applyAndSave(byUser, now);
        span?.setAttribute('kairos.users_updated', saved.size);
        return saved;
      },
      { attributes: { 'kairos.users': byUser.size } },
    );
    await this.publisher.publish(
      Topic.SessionFeatures,
      [...final.values()].map(({ state }) => ({
        key: state.userId,
        value: toSessionFeatures(state, this.rules, now),
        headers: {
          ...traceHeadersFrom(lastMessageOf.get(state.userId) ?? {}),
          [RecordHeader.EventId]: state.lastEventId ?? '',
          [RecordHeader.SchemaVersion]: SCHEMA_VERSION,
          [RecordHeader.ContentType]: 'application/json',
        },
      })),
    );
    this.logger.debug(
      `applied ${batch.messages.length} record(s) of ${batch.topic} (partitions ${batch.partitions.join(',')}), ${final.size} user(s) published`,
    );
    this.metrics.batchSize.observe(batch.messages.length);
    this.metrics.batchSeconds.observe((performance.now() - started) / 1_000);
  }

  private decode(batch: InboundBatch) {
    const byUser = new Map<string, IncomingEvent[]>();
    const lastMessageOf = new Map<string, InboundBatch['messages'][number]>();
    const deadLetters: DeadLetter[] = [];
    for (const message of batch.messages) {
      const decoded = decodeRecord(message, UserEventMessage);
      if ('failure' in decoded) {
        deadLetters.push({ message, failure: decoded.failure });
        continue;
      }
      // The offset-based dedupe relies on a user living on one partition: a record keyed by
      // something else than its userId would break that, so it is refused.
      if (message.key !== decoded.value.userId) {
        deadLetters.push({
          message,
          failure: {
            code: 'schema_violation',
            reason: `record key ${JSON.stringify(message.key)} is not the event's userId`,
          },
        });
        continue;
      }
      const events = byUser.get(decoded.value.userId) ?? [];
      events.push({ message: decoded.value, partition: message.partition, offset: message.offset });
      byUser.set(decoded.value.userId, events);
      lastMessageOf.set(decoded.value.userId, message);
    }
    return { byUser, deadLetters, lastMessageOf };
  }

  private async applyAndSave(
    byUser: ReadonlyMap<string, readonly IncomingEvent[]>,
    now: number,
  ): Promise<Map<string, { state: UserState; closed: SessionSnapshot[] }>> {
    const final = new Map<string, { state: UserState; closed: SessionSnapshot[] }>();
    let pending = [...byUser.keys()];
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS && pending.length > 0; attempt++) {
      const stored = await this.load(pending, attempt);
      const writes: VersionedState[] = [];
      const results = new Map<string, { state: UserState; closed: SessionSnapshot[] }>();
      for (const userId of pending) {
        const previous = stored.get(userId);
        const result = applyEvents(
          previous?.state ?? null,
          userId,
          byUser.get(userId) ?? [],
          this.rules,
        );
        const closed = result.closedSessions.map((summary) => ({
          sessionId: summary.sessionId,
          userId,
          startedAt: summary.startedAt,
          lastEventAt: summary.endedAt,
          closed: true,
          eventCount: summary.eventCount,
          countsByType: summary.countsByType,
          distinctItems: summary.distinctItems,
        }));
        results.set(userId, { state: result.state, closed });
        if (attempt === 1) {
          this.metrics.eventsApplied.inc(result.applied);
          this.metrics.dedupeHits.inc(result.duplicates);
          this.metrics.lateEvents.inc(result.late);
        }
        if (result.state !== previous?.state && changed(previous?.state, result.state)) {
          writes.push({ state: result.state, version: previous?.version ?? 0 });
        }
      }
      // Snapshots first: they are idempotent upserts derived from the state, so a crash before
      // the state write replays to the same documents, and a lost race rewrites them next attempt.
      let lost: Set<string>;
      try {
        await this.sessions.upsertMany(snapshotsOf(results));
        lost = new Set(await this.users.saveMany(writes, now));
      } catch (error) {
        // Whether the writes landed is unknown: the retried batch reads these users back.
        this.written.forget(pending);
        throw error;
      }
      if (lost.size > 0) this.metrics.writeConflicts.inc(lost.size);
      this.written.forget(lost);
      for (const write of writes) {
        if (!lost.has(write.state.userId)) {
          this.written.remember(write.state.userId, { ...write, version: write.version + 1 });
        }
      }
      for (const [userId, result] of results) if (!lost.has(userId)) final.set(userId, result);
      pending = [...lost];
    }
    if (pending.length > 0) {
      throw new Error(
        `${pending.length} user(s) kept losing write races after ${MAX_WRITE_ATTEMPTS} attempts`,
      );
    }
    return final;
  }

  /**
   * First attempt: states this consumer wrote last come from memory, the rest from storage.
   * After a lost race, always from storage: someone else wrote those users.
   */
  private async load(userIds: readonly string[], attempt: number) {
    if (attempt > 1) return this.users.loadMany(userIds);
    const { found, missing } = this.written.lookup(userIds);
    if (missing.length === 0) return found;
    for (const [userId, state] of await this.users.loadMany(missing)) found.set(userId, state);
    return found;
  }
}

/** A batch of pure redeliveries leaves the state as stored: nothing to write. */
function changed(previous: UserState | undefined, next: UserState): boolean {
  return (
    previous === undefined ||
    previous.appliedOffset !== next.appliedOffset ||
    previous.appliedPartition !== next.appliedPartition ||
    previous.profile.totalEvents !== next.profile.totalEvents
  );
}

function snapshotsOf(
  final: ReadonlyMap<string, { state: UserState; closed: SessionSnapshot[] }>,
): SessionSnapshot[] {
  const snapshots = new Map<string, SessionSnapshot>();
  for (const { state, closed } of final.values()) {
    for (const snapshot of closed) snapshots.set(snapshot.sessionId, snapshot);
    const { session } = state;
    if (session !== null) {
      snapshots.set(session.sessionId, {
        sessionId: session.sessionId,
        userId: state.userId,
        startedAt: session.startedAt,
        lastEventAt: session.lastEventAt,
        closed: false,
        eventCount: session.eventCount,
        countsByType: session.countsByType,
        distinctItems: session.distinctItemIds.length,
      });
    }
  }
  return [...snapshots.values()];
}
