import { type KairosConfig, loadConfig } from '@kairos/config';
import { TOPIC_SPECS } from '@kairos/contracts';
import { createKafka, physicalTopic, TopicAdminService, TopicSetupError } from '@kairos/messaging';
import { type Admin } from 'kafkajs';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../support/infra';

/** Topic setup at boot against the real broker: what every app runs before it serves. */
describeWithInfra('topic setup at boot against the real Kafka broker', ['kafka'], () => {
  const services: TopicAdminService[] = [];
  let admin: Admin;

  const configFor = (prefix: string, extra: Record<string, string> = {}): KairosConfig =>
    loadConfig('ingest', {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '4',
      LOG_LEVEL: 'error',
      KAIROS_AUTH: 'off',
      ...extra,
    });
  const serviceFor = (config: KairosConfig): TopicAdminService => {
    const service = new TopicAdminService(config);
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    admin = createKafka(configFor('unused.').kafka, 'test-admin').admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.onApplicationShutdown()));
    await admin?.disconnect();
  });

  it('returns only once every partition of every fresh topic has a leader, even when two apps race', async () => {
    const prefix = uniqueTestPrefix('topic-setup');
    const names = TOPIC_SPECS.map((spec) => physicalTopic(prefix, spec.name));

    const [first, second] = await Promise.all([
      serviceFor(configFor(prefix)).ensureTopics(),
      serviceFor(configFor(prefix)).ensureTopics(),
    ]);

    // Both apps saw the topics missing; whichever lost the creation race still succeeded.
    expect([...(first ?? [])].sort()).toEqual([...names].sort());
    expect([...(second ?? [])].sort()).toEqual([...names].sort());
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    expect(metadata.topics.map((topic) => topic.name).sort()).toEqual([...names].sort());
    for (const topic of metadata.topics) {
      expect(topic.partitions.map((partition) => partition.leader >= 0)).toEqual([
        true,
        true,
        true,
        true,
      ]);
    }
  });

  it('fails after its budget with a message naming the topics, the broker and what the broker said', async () => {
    // A single broker refuses replication factor 3 on every attempt: the budget must end it.
    const prefix = uniqueTestPrefix('topic-setup-refused');
    const config = configFor(prefix, {
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_TOPIC_SETUP_TIMEOUT_MS: '1000',
    });

    const failure = serviceFor(config).ensureTopics();

    await expect(failure).rejects.toThrow(TopicSetupError);
    const message = await failure.catch((error: Error) => error.message);
    for (const spec of TOPIC_SPECS) expect(message).toContain(physicalTopic(prefix, spec.name));
    expect(message).toContain(`on brokers ${requireEnv('KAFKA_BROKERS')}`);
    expect(message).toMatch(/within 1000 ms \(([2-9]|\d{2,}) attempts/);
    expect(message).toMatch(/replication-factor is invalid/i);
    expect(await admin.listTopics()).not.toContain(physicalTopic(prefix, 'events'));
  });
});
