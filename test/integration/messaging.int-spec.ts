import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type KairosConfig, loadConfig } from '@kairos/config';
import { Topic, TOPIC_SPECS } from '@kairos/contracts';
import {
  ConsumerAssignments,
  ConsumerLagMonitor,
  createKafka,
  type InboundBatch,
  KafkaBatchContext,
  KafkaPublisher,
  partitionForKey,
  physicalGroupId,
  physicalTopic,
  TopicAdminService,
} from '@kairos/messaging';
import { createKairosApp } from '@kairos/platform';
import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { Registry } from 'prom-client';
import { metricValue } from '../support/metrics';
import { describeWithInfra, eventually, requireEnv, uniqueTestPrefix } from '../support/infra';

interface Received {
  readonly key: string | null;
  readonly partition: number;
  /** The partitions of the handler call that carried the record, from the batch and @Ctx(). */
  readonly batchPartitions: readonly number[];
  readonly contextPartitions: readonly number[];
  readonly offset: string;
  readonly body: { readonly userId: string; readonly seq: number };
  readonly traceparent: string | undefined;
}

/** Records what the transport delivers; fails chosen batches once to exercise redelivery. */
class Recorder {
  readonly received: Received[] = [];
  readonly failOnceForUser = new Set<string>();
  /** Distinct partitions of the records of each successful handler call. */
  readonly callPartitions: number[][] = [];
  /** Records per handler call, for each user id that appears in the call. */
  readonly callSizesByUser = new Map<string, number[]>();
  /** Calls carrying this user take this long; `slowCallStarted` tells when one began. */
  readonly slowUsers = new Map<string, number>();
  slowCallStarted = 0;
  failures = 0;
}

/** KAFKA_MAX_RECORDS_PER_CALL of this spec: small, so one produce request spans several calls. */
const RECORDS_PER_CALL = 10;

@Controller()
class EventsProbeController {
  constructor(private readonly recorder: Recorder) {}

  @EventPattern(Topic.Events)
  async handle(@Payload() batch: InboundBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
    const decoded = batch.messages.map((message) => ({
      message,
      body: JSON.parse(message.value?.toString('utf8') ?? 'null') as Received['body'],
    }));
    const delayMs = Math.max(
      0,
      ...decoded.map(({ body }) => this.recorder.slowUsers.get(body.userId) ?? 0),
    );
    if (delayMs > 0) {
      this.recorder.slowCallStarted += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    for (const userId of new Set(decoded.map(({ body }) => body.userId))) {
      const sizes = this.recorder.callSizesByUser.get(userId) ?? [];
      sizes.push(batch.messages.length);
      this.recorder.callSizesByUser.set(userId, sizes);
    }
    const failing = decoded.find(({ body }) => this.recorder.failOnceForUser.delete(body.userId));
    if (failing !== undefined) {
      this.recorder.failures += 1;
      throw new Error(`simulated transient failure for ${failing.body.userId}`);
    }
    this.recorder.callPartitions.push([...new Set(batch.messages.map((m) => m.partition))]);
    for (const { message, body } of decoded) {
      this.recorder.received.push({
        key: message.key,
        partition: message.partition,
        batchPartitions: batch.partitions,
        contextPartitions: context.getPartitions(),
        offset: message.offset,
        body,
        traceparent: message.headers.traceparent,
      });
    }
  }
}

const recorder = new Recorder();

@Module({
  controllers: [EventsProbeController],
  providers: [{ provide: Recorder, useValue: recorder }],
})
class ProbeModule {}

/** The probe app consuming `events` under `prefix` (group `probe`), and an admin client. */
async function startProbe(
  prefix: string,
  env: Record<string, string>,
  beforeConsuming: (app: INestApplication) => void = () => undefined,
): Promise<{ config: KairosConfig; app: INestApplication; admin: Admin }> {
  const config = loadConfig('ingest', {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    KAIROS_AUTH: 'off',
    ...env,
  });
  const app = await createKairosApp(
    { name: 'ingest', description: 'probe', module: ProbeModule, consumerGroup: 'probe' },
    config,
  );
  await app.init();
  beforeConsuming(app);
  await app.startAllMicroservices();
  const admin = createKafka(config.kafka, 'test-admin').admin();
  await admin.connect();
  return { config, app, admin };
}

describeWithInfra('messaging against the real Kafka broker', ['kafka'], () => {
  const prefix = uniqueTestPrefix('messaging');
  let config: KairosConfig;
  let app: INestApplication;
  let admin: Admin;
  let assignmentChanges = 0;

  beforeAll(async () => {
    ({ config, app, admin } = await startProbe(
      prefix,
      { KAFKA_MAX_RECORDS_PER_CALL: String(RECORDS_PER_CALL) },
      (started) =>
        started.get(ConsumerAssignments).onChange('probe', () => (assignmentChanges += 1)),
    ));
  });

  afterAll(async () => {
    await admin?.disconnect();
    await app?.close();
  });

  it('creates every topic at boot with the configured partitions, compacting items and item-embeddings', async () => {
    const names = TOPIC_SPECS.map((spec) => physicalTopic(prefix, spec.name));
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      names.map((name) => [name, 12]).sort(),
    );
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['cleanup.policy'],
      })),
    });
    const policies = Object.fromEntries(
      described.resources.map((r) => [
        r.resourceName.slice(prefix.length),
        r.configEntries[0]?.configValue,
      ]),
    );
    expect(policies).toEqual({
      events: 'delete',
      'session-features': 'delete',
      items: 'compact',
      'item-embeddings': 'compact',
      'events.dlq': 'delete',
      'session-features.dlq': 'delete',
    });
  });

  it('treats topic creation as idempotent', async () => {
    await expect(app.get(TopicAdminService).ensureTopics()).resolves.toEqual([]);
  });

  it('delivers keyed records to the @EventPattern handler on the murmur2 partition, in order, with trace headers', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const publisher = app.get(KafkaPublisher);
    for (let seq = 0; seq < 3; seq++) {
      await publisher.publish(
        Topic.Events,
        users.map((userId) => ({ key: userId, value: { userId, seq }, headers: { traceparent } })),
      );
    }
    await eventually(() => (recorder.received.length >= users.length * 3 ? true : undefined), {
      what: `${users.length * 3} records`,
    });

    expect(recorder.received).toHaveLength(users.length * 3);
    for (const record of recorder.received) {
      expect(record.key).toBe(record.body.userId);
      expect(record.partition).toBe(partitionForKey(record.body.userId, 12));
      expect(record.batchPartitions).toContain(record.partition);
      expect(record.contextPartitions).toEqual(record.batchPartitions);
      expect(record.traceparent).toBe(traceparent);
    }
    // Keys spread over many partitions, and each user's records arrive in production order.
    expect(new Set(recorder.received.map((r) => r.partition)).size).toBeGreaterThan(6);
    // Each produce request landed on many partitions at once: their batches, fetched together,
    // reached the handler merged (BatchMerger), not one call per partition.
    expect(Math.max(...recorder.callPartitions.map((p) => p.length))).toBeGreaterThan(1);
    for (const userId of users) {
      const seqs = recorder.received.filter((r) => r.body.userId === userId).map((r) => r.body.seq);
      expect(seqs).toEqual([0, 1, 2]);
    }
  });

  it('redelivers a failed batch without skipping or committing it, then commits after success', async () => {
    const before = recorder.received.length;
    recorder.failOnceForUser.add('retry-user');
    const failuresBefore = recorder.failures;
    await app.get(KafkaPublisher).publish(Topic.Events, [
      { key: 'retry-user', value: { userId: 'retry-user', seq: 0 } },
      { key: 'retry-user', value: { userId: 'retry-user', seq: 1 } },
    ]);
    await eventually(() => (recorder.received.length >= before + 2 ? true : undefined), {
      what: 'redelivery after a failed batch',
    });
    expect(recorder.failures).toBe(failuresBefore + 1);
    const delivered = recorder.received.slice(before).map((r) => r.body);
    expect(delivered).toEqual([
      { userId: 'retry-user', seq: 0 },
      { userId: 'retry-user', seq: 1 },
    ]);

    const partition = partitionForKey('retry-user', 12);
    const topic = physicalTopic(prefix, Topic.Events);
    const [end] = (await admin.fetchTopicOffsets(topic)).filter((p) => p.partition === partition);
    const committed = await eventually(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}probe`, topics: [topic] });
        const mine = offsets?.partitions.find((p) => p.partition === partition);
        return mine?.offset === end?.offset ? mine?.offset : undefined;
      },
      { what: 'the group offset to reach the end of the partition' },
    );
    expect(committed).toBe(end?.offset);
  });

  it('hands a partition batch larger than KAFKA_MAX_RECORDS_PER_CALL over in steps, in order, each committed', async () => {
    const before = recorder.received.length;
    const userId = 'many-records-user';
    const count = 4 * RECORDS_PER_CALL + 3;
    // One produce request: the records land together and are fetched as one partition batch.
    await app.get(KafkaPublisher).publish(
      Topic.Events,
      Array.from({ length: count }, (_, seq) => ({ key: userId, value: { userId, seq } })),
    );
    await eventually(() => (recorder.received.length >= before + count ? true : undefined), {
      what: `${count} records of one user`,
    });
    const seqs = recorder.received.filter((r) => r.body.userId === userId).map((r) => r.body.seq);
    expect(seqs).toEqual(Array.from({ length: count }, (_, seq) => seq));
    const sizes = recorder.callSizesByUser.get(userId) ?? [];
    expect(Math.max(...sizes)).toBe(RECORDS_PER_CALL);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(count / RECORDS_PER_CALL));

    const partition = partitionForKey(userId, 12);
    const topic = physicalTopic(prefix, Topic.Events);
    const [end] = (await admin.fetchTopicOffsets(topic)).filter((p) => p.partition === partition);
    await eventually(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}probe`, topics: [topic] });
        const mine = offsets?.partitions.find((p) => p.partition === partition);
        return mine?.offset === end?.offset ? true : undefined;
      },
      { what: 'the group offset to reach the end of the partition' },
    );
  });

  it('reports consumer lag per partition as end offset minus the committed offset', async () => {
    await app.get(KafkaPublisher).publish(
      Topic.Events,
      ['lag-a', 'lag-b', 'lag-c'].map((key) => ({ key, value: { userId: key, seq: 0 } })),
    );
    const topic = physicalTopic(prefix, Topic.Events);
    const ends = await admin.fetchTopicOffsets(topic);
    const registry = new Registry();
    const monitorOf = (groupId: string, metrics = new Registry()) =>
      new ConsumerLagMonitor(
        app.get(TopicAdminService),
        { groupId, topics: [Topic.Events] },
        metrics,
      );

    // A group that never committed: everything in the log is lag, partition by partition.
    const idle = await monitorOf('never-consumed', registry).refresh();
    for (const end of ends) {
      const expected = Number(end.high) - Number(end.low);
      expect(idle.get(`events/${end.partition}`)).toBe(expected);
      const exposed = metricValue(await registry.metrics(), 'kairos_consumer_lag', {
        group: 'never-consumed',
        partition: String(end.partition),
      });
      expect(exposed).toBe(expected);
    }
    expect([...idle.values()].reduce((sum, lag) => sum + lag, 0)).toBeGreaterThan(0);

    // The probe group has consumed and committed everything: no lag anywhere.
    const probe = monitorOf('probe');
    const caughtUp = await eventually(
      async () => {
        const lags = await probe.refresh();
        return [...lags.values()].every((lag) => lag === 0) ? lags : undefined;
      },
      { what: 'the probe group to commit everything', timeoutMs: 20_000 },
    );
    expect(caughtUp.size).toBe(ends.length);
  });

  it('tells ConsumerAssignments when the group rebalances, so caches of owned users are dropped', async () => {
    await eventually(() => Promise.resolve(assignmentChanges > 0 ? true : undefined), {
      what: 'the first assignment to be reported',
    });
    const before = assignmentChanges;
    // A second member joins the group: the broker rebalances the probe's partitions.
    const member = createKafka(config.kafka, 'test-second-member').consumer({
      groupId: physicalGroupId(prefix, 'probe'),
    });
    await member.connect();
    await member.subscribe({ topics: [physicalTopic(prefix, Topic.Events)] });
    await member.run({ eachMessage: () => Promise.resolve() });
    try {
      await eventually(() => Promise.resolve(assignmentChanges > before ? true : undefined), {
        what: 'the rebalance to be reported',
        timeoutMs: 30_000,
      });
    } finally {
      await member.disconnect();
    }
  });
});

describeWithInfra('deferred offset commits (KAFKA_COMMIT_INTERVAL_MS)', ['kafka'], () => {
  const prefix = uniqueTestPrefix('commits');
  const userId = 'deferred-commit-user';
  let app: INestApplication | undefined;
  let admin: Admin;

  const committedOffset = async (): Promise<string | undefined> => {
    const topic = physicalTopic(prefix, Topic.Events);
    const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}probe`, topics: [topic] });
    return offsets?.partitions.find((p) => p.partition === partitionForKey(userId, 12))?.offset;
  };
  const endOffset = async (): Promise<string | undefined> => {
    const ends = await admin.fetchTopicOffsets(physicalTopic(prefix, Topic.Events));
    return ends.find((p) => p.partition === partitionForKey(userId, 12))?.offset;
  };
  const handledSeqs = (): number[] =>
    recorder.received.filter((r) => r.body.userId === userId).map((r) => r.body.seq);

  beforeAll(async () => {
    // Longer than the test: after the first commit, only shutdown can commit again.
    ({ app, admin } = await startProbe(prefix, { KAFKA_COMMIT_INTERVAL_MS: '60000' }));
  });

  afterAll(async () => {
    await admin?.disconnect();
    await app?.close();
  });

  it('holds handled offsets back until the interval or shutdown, then commits all of them, a running call included', async () => {
    const publisher = app?.get(KafkaPublisher);
    if (publisher === undefined) throw new Error('app did not start');
    // The first handled batch commits at once (no commit yet in this interval).
    await publisher.publish(Topic.Events, [{ key: userId, value: { userId, seq: 0 } }]);
    await eventually(async () => ((await committedOffset()) === '1' ? true : undefined), {
      what: 'the first batch committed at once',
    });

    // Later batches of the interval are handled but not committed...
    for (let seq = 1; seq <= 3; seq++) {
      await publisher.publish(Topic.Events, [{ key: userId, value: { userId, seq } }]);
    }
    await eventually(() => (handledSeqs().length >= 4 ? true : undefined), {
      what: 'all four records handled',
    });
    expect(handledSeqs()).toEqual([0, 1, 2, 3]);
    expect(await endOffset()).toBe('4');
    expect(await committedOffset()).toBe('1');

    // ...and shutdown commits them, and what a call still running at shutdown handles: a
    // restart replays none of them.
    recorder.slowUsers.set(userId, 1_500);
    const started = recorder.slowCallStarted;
    await publisher.publish(Topic.Events, [{ key: userId, value: { userId, seq: 4 } }]);
    await eventually(() => (recorder.slowCallStarted > started ? true : undefined), {
      what: 'the slow call to start',
    });
    await app?.close();
    app = undefined;
    expect(handledSeqs()).toEqual([0, 1, 2, 3, 4]);
    expect(await committedOffset()).toBe('5');
  });
});

describeWithInfra('offsets of a call running at shutdown (commit per step)', ['kafka'], () => {
  const prefix = uniqueTestPrefix('stopping');
  const userId = 'stopping-user';
  let app: INestApplication | undefined;
  let admin: Admin;

  beforeAll(async () => {
    ({ app, admin } = await startProbe(prefix, {}));
  });

  afterAll(async () => {
    await admin?.disconnect();
    await app?.close();
  });

  it('commits the call that was running when the consumer stopped, so a restart skips it', async () => {
    const publisher = app?.get(KafkaPublisher);
    if (publisher === undefined) throw new Error('app did not start');
    recorder.slowUsers.set(userId, 1_500);
    const started = recorder.slowCallStarted;
    await publisher.publish(Topic.Events, [{ key: userId, value: { userId, seq: 0 } }]);
    await eventually(() => (recorder.slowCallStarted > started ? true : undefined), {
      what: 'the slow call to start',
    });
    await app?.close();
    app = undefined;
    const topic = physicalTopic(prefix, Topic.Events);
    const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}probe`, topics: [topic] });
    const partition = partitionForKey(userId, 12);
    expect(recorder.received.filter((r) => r.body.userId === userId)).toHaveLength(1);
    expect(offsets?.partitions.find((p) => p.partition === partition)?.offset).toBe('1');
  });
});
