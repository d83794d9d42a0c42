import { Topic } from '@kairos/contracts';
import { createKafka, physicalTopic } from '@kairos/messaging';
import { type mongo } from 'mongoose';
import { readTopic } from '../../support/topic-reader';
import { type FeatureHarness } from '../../support/feature-harness';

/** Where along feature state → `session-features` → `recommendations` a user's update stopped. */
export interface StaleDiagnosis {
  /** Users per stage at which the last event went missing. */
  readonly byStage: Readonly<Record<string, number>>;
  readonly examples: readonly string[];
}

interface StoredState {
  readonly _id: string;
  readonly state: { lastEventId: string | null; profile: { totalEvents: number } };
}

interface StoredList {
  readonly _id: string;
  readonly asOfEventId: string | null;
  readonly asOfVersion?: number | null;
}

interface Snapshot {
  readonly partition: number;
  readonly offset: string;
  readonly lastEventId: string | null;
  readonly totalEvents: number;
}

/**
 * For users whose recommendations are not as of their last event, follows the update back:
 * feature state (`user_profiles`), the last snapshot on `session-features`, the stored list.
 * The first place where the last event is missing names the stage that lost it.
 */
export async function diagnoseStale(
  harness: FeatureHarness,
  lastEventOf: ReadonlyMap<string, string>,
  users: readonly string[],
): Promise<StaleDiagnosis> {
  if (users.length === 0) return { byStage: {}, examples: [] };
  const wanted = new Set(users);
  const topic = physicalTopic(harness.prefix, Topic.SessionFeatures);
  const published = await recordCount(harness, topic);
  const [profiles, lists, records] = await Promise.all([
    findByIds<StoredState>(harness, 'user_profiles', users),
    findByIds<StoredList>(harness, 'recommendations', users),
    readTopic(harness.config.kafka, topic, (read) => read.length >= published, 120_000),
  ]);
  const lastSnapshot = new Map<string, Snapshot>();
  for (const record of records) {
    if (record.key === null || !wanted.has(record.key) || record.value === null) continue;
    const value = JSON.parse(record.value) as {
      lastEventId: string | null;
      profile: { totalEvents: number };
    };
    lastSnapshot.set(record.key, {
      partition: record.partition,
      offset: record.offset,
      lastEventId: value.lastEventId,
      totalEvents: value.profile.totalEvents,
    });
  }
  const profileOf = new Map(profiles.map((doc) => [doc._id, doc.state]));
  const listOf = new Map(lists.map((doc) => [doc._id, doc]));
  const byStage: Record<string, number> = {};
  const examples: string[] = [];
  for (const userId of users) {
    const last = lastEventOf.get(userId);
    const state = profileOf.get(userId);
    const snapshot = lastSnapshot.get(userId);
    const list = listOf.get(userId);
    const stage =
      state?.lastEventId !== last
        ? 'feature state'
        : snapshot?.lastEventId !== last
          ? 'session-features'
          : list?.asOfEventId !== last
            ? 'recommendations (MongoDB)'
            : 'served answer';
    byStage[stage] = (byStage[stage] ?? 0) + 1;
    if (examples.length < 10) {
      examples.push(
        `${userId}: last ${last}; state ${state?.lastEventId} v${state?.profile.totalEvents}; ` +
          `snapshot ${snapshot?.lastEventId} v${snapshot?.totalEvents} at ${snapshot?.partition}@${snapshot?.offset}; ` +
          `list ${list?.asOfEventId} v${list?.asOfVersion} → ${stage}`,
      );
    }
  }
  return { byStage, examples };
}

/** Records on `topic` (end minus start offsets over its partitions): how many to read back. */
async function recordCount(harness: FeatureHarness, topic: string): Promise<number> {
  const admin = createKafka(harness.config.kafka, 'stale-diagnosis').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Documents by `_id`, in chunks: mongo-java-server slows down on long `$in` lists. */
async function findByIds<T extends { _id: string }>(
  harness: FeatureHarness,
  collection: string,
  ids: readonly string[],
): Promise<Array<mongo.WithId<T>>> {
  const found: Array<mongo.WithId<T>> = [];
  for (let start = 0; start < ids.length; start += 300) {
    const chunk = ids.slice(start, start + 300);
    found.push(
      ...(await harness.db
        .collection<T>(collection)
        .find({ _id: { $in: chunk } } as Parameters<mongo.Collection<T>['find']>[0])
        .toArray()),
    );
  }
  return found;
}
