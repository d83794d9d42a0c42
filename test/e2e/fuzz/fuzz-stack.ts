import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { type KafkaConfig, loadConfig } from '@kairos/config';
import { createKafka } from '@kairos/messaging';
import mongoose from 'mongoose';
import { type AppProcess, startAppProcess } from '../../support/app-process';
import { eventually, requireEnv, uniqueTestPrefix } from '../../support/infra';
import { type AppUnderTest } from './endpoints';
import { type KeysByScope } from './request-defects';

export const FUZZ_KEYS: KeysByScope = {
  'events:write': 'fuzz-writer-secret-0123456789',
  'items:write': 'fuzz-catalog-secret-0123456789',
  'recommendations:read': 'fuzz-reader-secret-0123456789',
  admin: 'fuzz-admin-secret-0123456789',
};

/** Ports 3801-3803 (this suite's range); other e2e specs use other ports. */
const PORTS: Record<AppUnderTest, number> = { ingest: 3801, feature: 3802, recommender: 3803 };

/** What a rejected request must not change: broker end offsets, documents, API answers. */
export interface StateSnapshot {
  readonly topicEndOffsets: Record<string, string>;
  readonly collections: Record<string, string>;
  readonly answers: Record<string, string>;
}

/** The three apps as separate processes on the real broker and MongoDB-protocol server. */
export class FuzzStack {
  readonly apps = new Map<AppUnderTest, AppProcess>();
  private readonly prefix = uniqueTestPrefix('fuzz');
  private readonly mongoUri: string;
  private readonly kafka: KafkaConfig;

  constructor() {
    const mongo = new URL(requireEnv('MONGODB_URI'));
    mongo.pathname = `/${this.prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
    this.mongoUri = mongo.toString();
    this.kafka = loadConfig('ingest', {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      KAIROS_AUTH: 'off',
    }).kafka;
  }

  async start(): Promise<void> {
    const env = {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: this.mongoUri,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAIROS_API_KEYS: Object.entries(FUZZ_KEYS)
        .map(([scope, secret]) => `${scope.replace(':', '-')}|${secret}|${scope}`)
        .join(';'),
      // Rate limiting has its own test; here every request must reach validation.
      KAIROS_RATE_LIMIT_PER_SECOND: '1000000',
      MODEL_DIR: resolve(__dirname, '../../../models'),
      // Learned rows written with each batch, not by a later checkpoint: otherwise a checkpoint
      // of the seed could land between the "before" snapshot and the fuzzing's "after".
      EMBEDDING_CHECKPOINT_INTERVAL_MS: '0',
    };
    for (const app of ['ingest', 'feature', 'recommender'] as const) {
      this.apps.set(app, await startAppProcess(app, env, PORTS[app]));
    }
  }

  url(app: AppUnderTest): string {
    const running = this.apps.get(app);
    if (running === undefined) throw new Error(`${app} is not running`);
    return running.baseUrl;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
  }

  /** A catalog item and a user with a session and precomputed recommendations. */
  async seed(): Promise<void> {
    const send = (method: string, path: string, scope: keyof KeysByScope, body: unknown) =>
      fetch(`${this.url('ingest')}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${FUZZ_KEYS[scope]}`,
        },
        body: JSON.stringify(body),
      });
    expect(
      (await send('PUT', '/v1/items/fuzz-seed-item', 'items:write', { title: 'Seed' })).status,
    ).toBe(202);
    let lastEventId = '';
    for (const itemId of ['fuzz-seed-item', 'fuzz-other-item', 'fuzz-seed-item']) {
      const response = await send('POST', '/v1/events', 'events:write', {
        userId: 'fuzz-seed-user',
        itemId,
        type: 'click',
      });
      expect(response.status).toBe(202);
      lastEventId = ((await response.json()) as { eventId: string }).eventId;
    }
    await eventually(
      async () => {
        const answer = await this.read('recommender', '/v1/recommendations/fuzz-seed-user');
        const catalog = await this.read('recommender', '/v1/items/fuzz-seed-item');
        return answer.includes(lastEventId) && catalog.startsWith('200') ? true : undefined;
      },
      { timeoutMs: 90_000, what: 'the seed user and item to reach the recommender' },
    );
  }

  /** Status and body of a read with the right key, as one comparable string. */
  async read(app: AppUnderTest, path: string): Promise<string> {
    const scope =
      path.startsWith('/v1/models') || path.startsWith('/v1/embeddings')
        ? 'admin'
        : 'recommendations:read';
    const response = await fetch(`${this.url(app)}${path}`, {
      headers: { authorization: `Bearer ${FUZZ_KEYS[scope]}` },
    });
    return `${response.status} ${await response.text()}`;
  }

  async snapshot(): Promise<StateSnapshot> {
    return {
      topicEndOffsets: await this.topicEndOffsets(),
      collections: await this.collectionDigests(),
      answers: {
        // processedAt is the time of the read itself, not state.
        session: (await this.read('feature', '/v1/users/fuzz-seed-user/session')).replace(
          /"processedAt":\d+/,
          '"processedAt":"(read time)"',
        ),
        recommendations: await this.read('recommender', '/v1/recommendations/fuzz-seed-user'),
        item: await this.read('recommender', '/v1/items/fuzz-seed-item'),
        embedding: await this.read('recommender', '/v1/embeddings/fuzz-seed-item'),
        models: await this.read('recommender', '/v1/models'),
      },
    };
  }

  /** Waits until two snapshots a few seconds apart agree (the seed fully processed). */
  async settledSnapshot(): Promise<StateSnapshot> {
    let previous = await this.snapshot();
    return eventually(
      async () => {
        await new Promise((done) => setTimeout(done, 2_000));
        const current = await this.snapshot();
        const changed = changedParts(previous, current);
        previous = current;
        if (changed.length > 0) throw new Error(`still changing: ${changed.join(', ')}`);
        return current;
      },
      { timeoutMs: 60_000, intervalMs: 0, what: 'the seeded state to settle' },
    );
  }

  private async topicEndOffsets(): Promise<Record<string, string>> {
    const admin = createKafka(this.kafka, 'fuzz-offsets').admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(this.prefix));
      const offsets: Record<string, string> = {};
      for (const topic of topics.sort()) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          offsets[`${topic.slice(this.prefix.length)}/${partition}`] = high;
        }
      }
      return offsets;
    } finally {
      await admin.disconnect();
    }
  }

  private async collectionDigests(): Promise<Record<string, string>> {
    const connection = await mongoose.createConnection(this.mongoUri).asPromise();
    try {
      const db = connection.db;
      if (db === undefined) throw new Error('no database handle');
      const digests: Record<string, string> = {};
      for (const { name } of await db.listCollections().toArray()) {
        const documents = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
        digests[name] =
          `${documents.length} documents, sha256 ` +
          createHash('sha256').update(JSON.stringify(documents)).digest('hex').slice(0, 16);
      }
      return digests;
    } finally {
      await connection.close();
    }
  }
}

/** Names of the snapshot entries that differ, e.g. `collections.sessions`. */
export function changedParts(before: StateSnapshot, after: StateSnapshot): string[] {
  const changed: string[] = [];
  for (const part of ['topicEndOffsets', 'collections', 'answers'] as const) {
    const keys = new Set([...Object.keys(before[part]), ...Object.keys(after[part])]);
    for (const key of keys) {
      if (before[part][key] !== after[part][key]) changed.push(`${part}.${key}`);
    }
  }
  return changed;
}
