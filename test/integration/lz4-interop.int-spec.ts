import { execFileSync } from 'node:child_process';
import { registerLz4Codec } from '@kairos/messaging';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { describeWithInfra, eventually, requireEnv, uniqueTestPrefix } from '../support/infra';

/**
 * Our LZ4 frame encoder and decoder (libs/messaging/src/kafka/lz4-frame.*.ts) against the real
 * broker, which decompresses every compressed batch it accepts to validate it (Java's LZ4 frame
 * reader, header checksum included), and against librdkafka through kcat. Values are large and
 * repetitive, so a batch spans several 64 KiB blocks. Linked blocks, which neither client here
 * writes, are covered by lz4-frame.spec.ts with frames from the reference library.
 */
describeWithInfra('LZ4 with the real broker and an independent client', ['kafka'], () => {
  jest.setTimeout(90_000);
  const brokers = requireEnv('KAFKA_BROKERS');
  const kafka = new Kafka({
    clientId: 'lz4-interop',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const prefix = uniqueTestPrefix('lz4');
  const topics = { ours: `${prefix}ours-to-kcat`, theirs: `${prefix}kcat-to-ours` };
  const values = Array.from({ length: 400 }, (_, n) =>
    `record ${n} user-${n % 17} item-${n % 101}${' '.repeat(n % 5)} `.repeat(40),
  );

  beforeAll(async () => {
    registerLz4Codec();
    execFileSync('kcat', ['-V'], { stdio: 'pipe' });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })),
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('writes batches the broker accepts and librdkafka reads back', async () => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topics.ours,
        compression: CompressionTypes.LZ4,
        messages: values.map((value, n) => ({ key: `k${n}`, value })),
      });
    } finally {
      await producer.disconnect();
    }
    const read = execFileSync(
      'kcat',
      ['-C', '-b', brokers, '-t', topics.ours, '-o', 'beginning', '-e', '-q', '-f', '%s\n'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(read.split('\n').filter((line) => line !== '')).toEqual(values);
  });

  it('reads batches librdkafka compressed', async () => {
    execFileSync(
      'kcat',
      ['-P', '-b', brokers, '-t', topics.theirs, '-z', 'lz4', '-X', 'linger.ms=500'],
      {
        input: `${values.join('\n')}\n`,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const consumer = kafka.consumer({ groupId: `${prefix}reader` });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: topics.theirs, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          received.push(message.value?.toString('utf8') ?? '');
          return Promise.resolve();
        },
      });
      await eventually(() => (received.length >= values.length ? true : undefined), {
        timeoutMs: 60_000,
        what: 'every record kcat wrote',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(values);
  });
});
