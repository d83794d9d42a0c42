import { type KairosConfig, loadConfig } from '@kairos/config';
import { Topic, type TopicName, type UserEventMessage } from '@kairos/contracts';
import {
  createKafka,
  JavaCompatiblePartitioner,
  physicalGroupId,
  physicalTopic,
  registerLz4Codec,
  totalGroupLag,
} from '@kairos/messaging';
import { CompressionTypes, type Admin, type Producer } from 'kafkajs';
import mongoose, { type Connection, type mongo } from 'mongoose';
import { type UserTruth } from './click-stream';
import { eventually, requireEnv, uniqueTestPrefix } from './infra';
import { type RawRecord } from './topic-reader';

interface StoredProfile {
  _id: string;
  state: { profile: { totalEvents: number; totalsByType: Record<string, number> } };
}

export interface StoredSession {
  _id: string;
  userId: string;
  startedAt: number;
  lastEventAt: number;
  closed: boolean;
  eventCount: number;
}

/**
 * A private world for one feature-service test: its own topic prefix (and so consumer group)
 * and its own database, a producer that writes like ingest does, and ways to read the outcome.
 */
export class FeatureHarness {
  readonly prefix: string;
  readonly database: string;
  readonly mongoUri: string;
  readonly config: KairosConfig;
  private producer!: Producer;
  private admin!: Admin;
  private connection!: Connection;

  constructor(label = 'feature') {
    this.prefix = uniqueTestPrefix(label);
    this.database = this.prefix.replace(/[^A-Za-z0-9]/g, '_').slice(0, 60);
    const base = new URL(requireEnv('MONGODB_URI'));
    base.pathname = `/${this.database}`;
    this.mongoUri = base.toString();
    this.config = loadConfig('feature', {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: this.mongoUri,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAIROS_AUTH: 'off',
    });
  }

  /** Environment for feature processes of this test. */
  get appEnv(): Record<string, string> {
    return {
      KAFKA_BROKERS: this.config.kafka.brokers.join(','),
      MONGODB_URI: this.mongoUri,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAIROS_AUTH: 'off',
      // A crashed consumer keeps its partitions this long; short, so tests do not wait 30 s.
      KAFKA_SESSION_TIMEOUT_MS: '8000',
    };
  }

  async start(): Promise<void> {
    registerLz4Codec();
    const kafka = createKafka(this.config.kafka, 'test-harness');
    this.producer = kafka.producer({
      createPartitioner: JavaCompatiblePartitioner,
      idempotent: true,
      maxInFlightRequests: 5,
    });
    this.admin = kafka.admin();
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    this.connection = await mongoose
      .createConnection(this.mongoUri, { serverSelectionTimeoutMS: 5_000 })
      .asPromise();
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    await this.connection?.dropDatabase().catch(() => undefined);
    await this.connection?.close();
  }

  /** Publishes events as ingest does (keyed by userId, headers), in chunks. */
  async produce(events: readonly UserEventMessage[]): Promise<void> {
    await this.produceRaw(
      events.map((event) => ({
        key: event.userId,
        value: JSON.stringify(event),
        headers: {
          'kairos-event-id': event.eventId,
          'kairos-schema-version': '1',
          'content-type': 'application/json',
        },
      })),
    );
  }

  async produceRaw(records: readonly RawRecord[]): Promise<void> {
    const topic = physicalTopic(this.prefix, Topic.Events);
    for (let start = 0; start < records.length; start += 1_000) {
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.LZ4,
        messages: records.slice(start, start + 1_000).map((record) => ({ ...record })),
      });
    }
  }

  /** Per-user totals as stored in MongoDB. */
  async storedTotals(): Promise<Map<string, UserTruth>> {
    const docs = await this.connection
      .collection<StoredProfile>('user_profiles')
      .find(
        {},
        { projection: { _id: 1, 'state.profile.totalEvents': 1, 'state.profile.totalsByType': 1 } },
      )
      .toArray();
    return new Map(
      docs.map((doc) => [
        doc._id,
        { total: doc.state.profile.totalEvents, byType: doc.state.profile.totalsByType },
      ]),
    );
  }

  /** A user's documents in `sessions`, oldest first. */
  storedSessions(userId: string): Promise<StoredSession[]> {
    return this.connection
      .collection<StoredSession>('sessions')
      .find({ userId })
      .sort({ startedAt: 1 })
      .toArray();
  }

  /** Records of `topic` the consumer group `group` has not committed yet. */
  lag(group = 'feature', topic: TopicName = Topic.Events): Promise<number> {
    return totalGroupLag(
      this.admin,
      physicalGroupId(this.prefix, group),
      physicalTopic(this.prefix, topic),
    );
  }

  /** The test database, for reads beyond the feature service's collections. */
  get db(): mongo.Db {
    const db = this.connection.db;
    if (db === undefined) throw new Error('the harness is not connected: call start() first');
    return db;
  }

  /** Waits until the consumer committed everything and MongoDB holds exactly `truth`. */
  async waitUntilCaughtUp(
    truth: ReadonlyMap<string, UserTruth>,
    timeoutMs = 240_000,
  ): Promise<Map<string, UserTruth>> {
    const expectedTotal = [...truth.values()].reduce((sum, user) => sum + user.total, 0);
    return eventually(
      async () => {
        if ((await this.lag()) > 0) return undefined;
        const stored = await this.storedTotals();
        const storedTotal = [...stored.values()].reduce((sum, user) => sum + user.total, 0);
        return storedTotal >= expectedTotal ? stored : undefined;
      },
      { timeoutMs, intervalMs: 500, what: `lag 0 and ${expectedTotal} events in MongoDB` },
    );
  }

  /** Records on events.dlq of this test. */
  dlqTopic(): string {
    return physicalTopic(this.prefix, Topic.EventsDlq);
  }
}

/** Users whose stored totals differ from the truth, for a readable assertion. */
export function mismatches(
  truth: ReadonlyMap<string, UserTruth>,
  stored: ReadonlyMap<string, UserTruth>,
): string[] {
  const problems: string[] = [];
  for (const [userId, expected] of truth) {
    const actual = stored.get(userId);
    if (
      actual?.total !== expected.total ||
      JSON.stringify(sorted(actual.byType)) !== JSON.stringify(sorted(expected.byType))
    ) {
      problems.push(
        `${userId}: expected ${JSON.stringify(expected)}, stored ${JSON.stringify(actual)}`,
      );
    }
  }
  for (const userId of stored.keys())
    if (!truth.has(userId)) problems.push(`${userId}: stored but not in the input`);
  return problems.slice(0, 10);
}

function sorted(record: Record<string, number | undefined>): Array<[string, number | undefined]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
