import { type KairosConfig } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import {
  createKafka,
  JavaCompatiblePartitioner,
  physicalTopic,
  registerLz4Codec,
  TopicProvisioner,
} from '@kairos/messaging';
import { CompressionTypes } from 'kafkajs';
import { type LatencySummary, summarizeLatencies } from './latency';

/**
 * The broker's own floor for freshness: kafkajs produce (acks=all, LZ4, as the apps produce) to
 * consume on a scratch topic, `count` records at `ratePerSecond`, latency per record from just
 * before its send to its arrival in eachBatch. The pipeline crosses the broker twice (events,
 * session-features), so about twice this is what any design on this broker pays.
 */
export async function kafkaRoundTrip(options: {
  readonly config: KairosConfig;
  /** Prefix of the scratch topic (`<prefix>events`), created the way the apps create theirs. */
  readonly topicPrefix: string;
  readonly count: number;
  readonly ratePerSecond: number;
}): Promise<LatencySummary> {
  registerLz4Codec();
  const kafka = createKafka(options.config.kafka, 'bench-round-trip');
  const admin = kafka.admin();
  const kafkaConfig = { ...options.config.kafka, topicPrefix: options.topicPrefix };
  const topic = physicalTopic(kafkaConfig.topicPrefix, Topic.Events);
  await new TopicProvisioner(admin, kafkaConfig, console).ensure(
    [{ name: Topic.Events, compacted: false }],
    () => admin.connect(),
  );
  await admin.disconnect();
  const producer = kafka.producer({
    createPartitioner: JavaCompatiblePartitioner,
    idempotent: true,
    maxInFlightRequests: 5,
  });
  const consumer = kafka.consumer({
    groupId: `${topic}-reader`,
    sessionTimeout: options.config.kafka.sessionTimeoutMs,
    maxBytesPerPartition: 1_048_576,
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((done) => (markReady = done));
  let markDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (markDone = resolve));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const id = message.value?.toString() ?? '';
        if (id === 'ready') markReady();
        const started = sentAt.get(id);
        if (started !== undefined) latencies.push(now - started);
      }
      if (latencies.length >= options.count) markDone();
      await Promise.resolve();
    },
  });
  // One record through first: the measurement starts only once the group owns its partitions.
  await producer.send({ topic, messages: [{ key: 'ready', value: 'ready' }] });
  await ready;

  const intervalMs = 1_000 / options.ratePerSecond;
  const started = performance.now();
  const sends: Array<Promise<unknown>> = [];
  for (let i = 0; i < options.count; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `record-${i}`;
    sentAt.set(id, performance.now());
    sends.push(
      producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.LZ4,
        messages: [{ key: `user-${i % 300}`, value: id }],
      }),
    );
  }
  await Promise.all(sends);
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  await consumer.disconnect();
  await producer.disconnect();
  return summarizeLatencies(latencies);
}
