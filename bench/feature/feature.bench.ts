/**
 * bench/feature: events/s from a pre-loaded `events` topic to durable MongoDB state (lag 0 and
 * every event in user_profiles), one feature instance, next to the raw kafkajs consume rate of
 * the same topic measured in the same run. Prints a table and JSON; never pass/fail.
 *
 *   npm run bench:feature -- [--runs 3] [--events 100000] [--users 100000] [--cpu-prof-dir DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@kairos/config';
import { Topic, type UserEventMessage } from '@kairos/contracts';
import {
  createKafka,
  JavaCompatiblePartitioner,
  physicalGroupId,
  physicalTopic,
  registerLz4Codec,
  TopicProvisioner,
  totalGroupLag,
} from '@kairos/messaging';
import { CompressionTypes } from 'kafkajs';
import mongoose from 'mongoose';
import { cpuProfileFlags, startAppProcess } from '../../test/support/app-process';
import { infraEnv } from '../support/infra-env';
import { machineDescription, summarizeRuns } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '100000' },
    users: { type: 'string', default: '100000' },
    port: { type: 'string', default: '3905' },
    // Writes a V8 CPU profile of the feature process per run (open it in Chrome DevTools).
    'cpu-prof-dir': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const EVENTS = Number(args.events);
const USERS = Number(args.users);
const TYPES = ['view', 'view', 'view', 'click', 'click', 'add_to_cart', 'purchase'] as const;

function syntheticEvents(runId: string): UserEventMessage[] {
  const base = Date.parse('2026-11-22T00:00:00Z');
  return Array.from({ length: EVENTS }, (_, i) => {
    const timestamp = base + i * 10;
    return {
      eventId: `${runId}-${i}`,
      userId: `u${(i * 7_919) % USERS}`,
      itemId: `i${(i * 104_729) % 20_000}`,
      type: TYPES[i % TYPES.length] ?? 'view',
      timestamp,
      receivedAt: timestamp,
      context: { category: `c${i % 50}` },
    };
  });
}

async function run(index: number): Promise<Record<string, number>> {
  const { KAFKA_BROKERS, MONGODB_URI } = infraEnv();
  if (!MONGODB_URI) throw new Error('MONGODB_URI missing: run scripts/infra/up.sh');
  const prefix = `bench-feature-${Date.now().toString(36)}-${index}.`;
  const mongo = new URL(MONGODB_URI);
  mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
  const config = loadConfig('feature', {
    KAFKA_BROKERS,
    MONGODB_URI: mongo.toString(),
    KAFKA_TOPIC_PREFIX: prefix,
    KAIROS_AUTH: 'off',
  });
  const kafka = createKafka(config.kafka, 'bench-feature');
  const admin = kafka.admin();
  const topic = physicalTopic(prefix, Topic.Events);
  await new TopicProvisioner(admin, config.kafka, console).ensure(
    [{ name: Topic.Events, compacted: false }],
    () => admin.connect(),
  );

  // Pre-load the topic exactly as ingest writes it.
  registerLz4Codec();
  const producer = kafka.producer({
    createPartitioner: JavaCompatiblePartitioner,
    idempotent: true,
    maxInFlightRequests: 5,
  });
  await producer.connect();
  const events = syntheticEvents(prefix);
  for (let start = 0; start < events.length; start += 2_000) {
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.LZ4,
      messages: events.slice(start, start + 2_000).map((event) => ({
        key: event.userId,
        value: JSON.stringify(event),
        headers: { 'kairos-event-id': event.eventId, 'kairos-schema-version': '1' },
      })),
    });
  }
  await producer.disconnect();

  // Reference: the raw kafkajs consume rate of the same records (no processing).
  const rawStarted = performance.now();
  let consumed = 0;
  const consumer = kafka.consumer({ groupId: `${prefix}raw-reference` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((done) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= EVENTS) done();
        await Promise.resolve();
      },
    });
  });
  const rawSeconds = (performance.now() - rawStarted) / 1_000;
  await consumer.disconnect();

  // Reference for the storage side: the MongoDB-protocol server's own rate for one conditional
  // document write per user (what the service does at least once per user per batch), measured
  // with the bare driver in 1,000-document unordered bulkWrites, as the service writes them.
  const mongoReferenceDocsPerSecond = await rawWriteRate(mongo.toString(), Math.min(USERS, 5_000));

  // The feature service: from start until lag 0 and every event durable in MongoDB.
  const started = performance.now();
  const app = await startAppProcess(
    'feature',
    {
      KAFKA_BROKERS,
      MONGODB_URI: mongo.toString(),
      KAFKA_TOPIC_PREFIX: prefix,
      KAIROS_AUTH: 'off',
      LOG_LEVEL: 'error',
    },
    Number(args.port),
    cpuProfileFlags(args['cpu-prof-dir']),
  );
  const connection = await mongoose.createConnection(mongo.toString()).asPromise();
  let lastReport = 0;
  for (;;) {
    const lag = await totalGroupLag(admin, physicalGroupId(prefix, 'feature'), topic);
    if (performance.now() - lastReport > 5_000) {
      process.stdout.write(
        `  run ${index}: lag ${lag} after ${((performance.now() - started) / 1_000).toFixed(0)} s\n`,
      );
      lastReport = performance.now();
    }
    if (lag === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1_000;
  const profiles = connection.collection<{ state: { profile: { totalEvents: number } } }>(
    'user_profiles',
  );
  const users = await profiles.countDocuments();
  let eventsInMongo = 0;
  for await (const doc of profiles.find({}, { projection: { 'state.profile.totalEvents': 1 } })) {
    eventsInMongo += doc.state.profile.totalEvents;
  }
  await app.stop();
  await connection.dropDatabase();
  await connection.close();
  await admin.disconnect();
  return {
    rawConsumeEventsPerSecond: EVENTS / rawSeconds,
    featureEventsPerSecond: EVENTS / seconds,
    ratioToRawConsume: EVENTS / seconds / (EVENTS / rawSeconds),
    mongoReferenceDocsPerSecond,
    ratioToMongoReference: EVENTS / seconds / mongoReferenceDocsPerSecond,
    secondsToLagZero: seconds,
    eventsInMongo,
    usersInMongo: users,
  };
}

/** Inserts then conditionally updates `count` user-sized documents; returns writes per second. */
async function rawWriteRate(uri: string, count: number): Promise<number> {
  const connection = await mongoose.createConnection(uri).asPromise();
  const collection = connection.collection<{ _id: string; version: number; state: object }>(
    'bench_reference',
  );
  const state = { profile: { totalEvents: 1, totalsByType: { view: 1 } }, recentEventIds: ['e'] };
  const started = performance.now();
  for (let start = 0; start < count; start += 1_000) {
    const ids = Array.from({ length: Math.min(1_000, count - start) }, (_, i) => `u${start + i}`);
    await collection.bulkWrite(
      ids.map((_id) => ({ insertOne: { document: { _id, version: 1, state } } })),
      { ordered: false },
    );
    await collection.bulkWrite(
      ids.map((_id) => ({
        updateOne: { filter: { _id, version: 1 }, update: { $set: { version: 2, state } } },
      })),
      { ordered: false },
    );
  }
  const writesPerSecond = (2 * count) / ((performance.now() - started) / 1_000);
  await collection.drop();
  await connection.close();
  return writesPerSecond;
}

async function main(): Promise<void> {
  console.log(
    `bench/feature on ${machineDescription()}; ${RUNS} runs, ${EVENTS} events over ${USERS} users; MONGODB_URI=${infraEnv().MONGODB_URI ?? ''}`,
  );
  const runs: Array<Record<string, number>> = [];
  for (let index = 1; index <= RUNS; index++) runs.push(await run(index));
  const summary = summarizeRuns(runs);
  const report = {
    benchmark: 'feature',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, EVENTS, USERS },
    runs,
    median: summary,
  };
  mkdirSync(resolve(__dirname, '../results'), { recursive: true });
  writeFileSync(resolve(__dirname, '../results/feature.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
