import { resolve } from 'node:path';
import { loadConfig } from '@kairos/config';
import { type SessionFeaturesMessage, Topic } from '@kairos/contracts';
import {
  createKafka,
  JavaCompatiblePartitioner,
  physicalGroupId,
  physicalTopic,
  totalGroupLag,
} from '@kairos/messaging';
import { type Admin, type Producer } from 'kafkajs';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { describeWithInfra, eventually, requireEnv, uniqueTestPrefix } from '../support/infra';

const ADMIN_KEY = 'online-admin-key-0123456789';
const READER_KEY = 'online-reader-key-0123456789';
const T0 = Date.parse('2026-11-20T08:00:00Z');

interface Answer {
  items: Array<{ itemId: string; score: number }>;
  source: string;
  asOfEventId: string | null;
}
interface Row {
  version: number;
  vector: number[];
}

/** A `session-features` snapshot as the feature service publishes it, for a window of clicks. */
function snapshot(
  userId: string,
  items: readonly string[],
  eventId: string,
): SessionFeaturesMessage {
  const events = items.map((itemId, i) => ({
    itemId,
    type: 'click' as const,
    timestamp: T0 + i * 1_000,
  }));
  return {
    userId,
    window: {
      sessionId: `${userId}:1`,
      startedAt: T0,
      lastEventAt: T0 + (items.length - 1) * 1_000,
      events,
      countsByType: { click: items.length },
      eventCount: items.length,
      distinctItems: new Set(items).size,
    },
    profile: {
      totalsByType: { click: items.length },
      totalEvents: items.length,
      sessionCount: 1,
      topItems: [],
      topCategories: [],
    },
    lastEventId: eventId,
    eventTime: T0 + (items.length - 1) * 1_000,
    processedAt: T0,
  };
}

/**
 * The recommender's online learning against the real broker and MongoDB-protocol server, fed
 * `session-features` records directly (what the feature service publishes), with the committed
 * default model: new items become recommendable without retraining, replicas converge through
 * the compacted `item-embeddings` topic, and a restarted replica restores learned rows.
 */
describeWithInfra('recommender online learning and replicas', ['kafka', 'mongo'], () => {
  jest.setTimeout(240_000);
  const prefix = uniqueTestPrefix('online');
  let env: Record<string, string>;
  let producer: Producer;
  let admin: Admin;
  const replicas: AppProcess[] = [];

  beforeAll(async () => {
    const mongo = new URL(requireEnv('MONGODB_URI'));
    mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
    env = {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: mongo.toString(),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      KAIROS_API_KEYS: `admin|${ADMIN_KEY}|admin;reader|${READER_KEY}|recommendations:read`,
      MODEL_DIR: resolve(__dirname, '../../models'),
    };
    const kafka = createKafka(loadConfig('recommender', env).kafka, 'test-online');
    producer = kafka.producer({ createPartitioner: JavaCompatiblePartitioner, idempotent: true });
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    replicas.push(
      await startAppProcess('recommender', { ...env, KAIROS_INSTANCE_ID: 'r-a' }, 3981),
    );
    replicas.push(
      await startAppProcess('recommender', { ...env, KAIROS_INSTANCE_ID: 'r-b' }, 3982),
    );
  });

  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.stop()));
    await producer?.disconnect();
    await admin?.disconnect();
  });

  const publish = async (snapshots: readonly SessionFeaturesMessage[]): Promise<void> => {
    await producer.send({
      topic: physicalTopic(prefix, Topic.SessionFeatures),
      acks: -1,
      messages: snapshots.map((s) => ({ key: s.userId, value: JSON.stringify(s) })),
    });
    await eventually(
      async () =>
        (await totalGroupLag(
          admin,
          physicalGroupId(prefix, 'recommender'),
          physicalTopic(prefix, Topic.SessionFeatures),
        )) === 0
          ? true
          : undefined,
      { timeoutMs: 60_000, what: 'the recommender group to commit everything' },
    );
  };
  const get = async <T>(app: AppProcess, path: string, key: string): Promise<T> => {
    const response = await fetch(`${app.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const rowOf = (app: AppProcess, itemId: string) =>
    get<Row>(app, `/v1/embeddings/${itemId}`, ADMIN_KEY);

  it('recommends a brand-new item after it co-occurs with popular items, before any retraining', async () => {
    const [popular, companion] = ['item-00001', 'item-00002'];
    const sessions = Array.from({ length: 40 }, (_, i) =>
      snapshot(`fan-${i}`, [popular ?? '', companion ?? '', 'brand-new-item'], `new-${i}`),
    );
    await publish(sessions);
    await publish([snapshot('newcomer', [popular ?? ''], 'newcomer-1')]);
    const answer = await eventually(
      async () => {
        const body = await get<Answer>(
          replicas[0]!,
          '/v1/recommendations/newcomer?k=10',
          READER_KEY,
        );
        return body.asOfEventId === 'newcomer-1' ? body : undefined;
      },
      { what: "the newcomer's list" },
    );
    expect(answer.items.map((item) => item.itemId)).toContain('brand-new-item');
  });

  it('converges two replicas on the same item rows and serves a user the same list from both', async () => {
    // Many users on every partition, so both replicas learn and publish rows.
    const items = ['item-00010', 'item-00011', 'item-00012', 'item-00013', 'item-00014'];
    const sessions = Array.from({ length: 120 }, (_, i) =>
      snapshot(`conv-${i}`, [items[i % 5] ?? '', items[(i + 1) % 5] ?? ''], `conv-${i}`),
    );
    await publish(sessions);
    // Equal versions are not yet convergence: both replicas may have made the same version of a
    // row from different batches, and each settles the tie when the other's row arrives (the
    // vectors decide). So wait for the same version and the same vector, within the bound.
    const distance = (a: Row, b: Row): number =>
      Math.sqrt(a.vector.reduce((sum, value, d) => sum + (value - (b.vector[d] ?? 0)) ** 2, 0));
    for (const itemId of items) {
      let last = 'no rows yet';
      const converged = await eventually(
        async () => {
          const [a, b] = await Promise.all(replicas.map((app) => rowOf(app, itemId)));
          if (!a || !b) return undefined;
          const apart = distance(a, b);
          last = `versions ${a.version} and ${b.version}, distance ${apart}`;
          return a.version === b.version && apart < 1e-5 ? true : undefined;
        },
        { what: `both replicas to hold the same row of ${itemId}` },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)} (last seen: ${last})`);
      });
      expect(converged).toBe(true);
    }
    const [fromA, fromB] = await Promise.all(
      replicas.map((app) => get<Answer>(app, '/v1/recommendations/conv-7?k=10', READER_KEY)),
    );
    expect(fromA?.items).toEqual(fromB?.items);
  });

  it('restores learned rows from MongoDB and the topic when a replica restarts', async () => {
    const before = await rowOf(replicas[0]!, 'brand-new-item');
    await Promise.all(replicas.splice(0).map((app) => app.stop()));
    const restarted = await startAppProcess(
      'recommender',
      { ...env, KAIROS_INSTANCE_ID: 'r-c' },
      3983,
    );
    replicas.push(restarted);
    const after = await eventually(
      () => rowOf(restarted, 'brand-new-item').catch(() => undefined),
      {
        what: 'the learned row in the restarted replica',
      },
    );
    expect(after.version).toBe(before.version);
    expect(after.vector).toEqual(before.vector);
  });
});
