import { loadConfig } from '@kairos/config';
import { TOPIC_SPECS } from '@kairos/contracts';
import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { RetryBackoff } from './retry-backoff';
import {
  describeKafkaError,
  TopicProvisioner,
  type TopicSetupAdmin,
  TopicSetupError,
} from './topic-provisioner';

const NOT_HOSTED = 'This server does not host this topic-partition';
const ELECTION =
  'There is no leader for this topic-partition as we are in the middle of a leadership election';

const protocolError = (message: string, type: string, code: number): KafkaJSProtocolError =>
  new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable: true }));
const notHosted = () => protocolError(NOT_HOSTED, 'UNKNOWN_TOPIC_OR_PARTITION', 3);
const election = () => protocolError(ELECTION, 'LEADER_NOT_AVAILABLE', 5);

/**
 * A broker just after topic creation, as kafkajs sees it: it creates the topics, then answers
 * the scripted errors (in order) before every partition has a leader.
 */
class FreshTopicsBroker implements TopicSetupAdmin {
  readonly partitions = new Map<string, number>();
  createCalls = 0;

  constructor(
    private readonly createFailures: Array<() => Error>,
    private readonly metadataAnswers: Array<(() => Error) | 'leaderless'>,
  ) {}

  listTopics(): Promise<string[]> {
    return Promise.resolve([...this.partitions.keys()]);
  }

  createTopics(options: Parameters<TopicSetupAdmin['createTopics']>[0]): Promise<boolean> {
    this.createCalls += 1;
    for (const topic of options.topics) this.partitions.set(topic.topic, topic.numPartitions ?? 1);
    const failure = this.createFailures.shift();
    return failure === undefined ? Promise.resolve(true) : Promise.reject(failure());
  }

  fetchTopicMetadata(options?: {
    topics: string[];
  }): ReturnType<TopicSetupAdmin['fetchTopicMetadata']> {
    const answer = this.metadataAnswers.shift();
    if (typeof answer === 'function') return Promise.reject(answer());
    const leader = answer === 'leaderless' ? -1 : 0;
    const topics = (options?.topics ?? []).map((name) => ({
      name,
      partitions: Array.from({ length: this.partitions.get(name) ?? 0 }, (_, partitionId) => ({
        partitionErrorCode: 0,
        partitionId,
        leader: partitionId === 1 ? leader : 0,
        replicas: [0],
        isr: [0],
      })),
    }));
    return Promise.resolve({ topics });
  }
}

/** A clock that only moves when the provisioner sleeps, so every wait is visible and instant. */
function pinnedTiming() {
  const timing = {
    nowMs: 0,
    waits: [] as number[],
    now: () => timing.nowMs,
    sleep: (ms: number) => {
      timing.waits.push(ms);
      timing.nowMs += ms;
      return Promise.resolve();
    },
    // random = 1: the jitter picks the ceiling, so the waits show the exponential schedule.
    backoff: new RetryBackoff(100, 1_000, () => 1),
  };
  return timing;
}

function capturedLogs() {
  const lines = { log: [] as string[], warn: [] as string[] };
  return {
    lines,
    logger: {
      log: (message: string) => void lines.log.push(message),
      warn: (message: string) => void lines.warn.push(message),
    },
  };
}

const config = loadConfig('ingest', {
  KAFKA_BROKERS: 'broker-a:9092,broker-b:9092',
  KAFKA_TOPIC_PREFIX: 'fresh.',
  KAFKA_TOPIC_PARTITIONS: '3',
  KAFKA_TOPIC_SETUP_TIMEOUT_MS: '2000',
  KAIROS_AUTH: 'off',
}).kafka;
const physicalNames = TOPIC_SPECS.map((spec) => `fresh.${spec.name}`);
const connected = () => Promise.resolve();

describe('TopicProvisioner', () => {
  it('retries with growing backoff through the errors of fresh topics, then succeeds', async () => {
    const broker = new FreshTopicsBroker([notHosted], [election, notHosted, 'leaderless']);
    const timing = pinnedTiming();
    const { lines, logger } = capturedLogs();

    const created = await new TopicProvisioner(broker, config, logger, timing).ensure(
      TOPIC_SPECS,
      connected,
    );

    expect(created).toEqual(physicalNames);
    expect(broker.createCalls).toBe(1);
    expect(timing.waits).toEqual([100, 200, 400, 800]);
    expect(lines.warn).toHaveLength(4);
    expect(lines.warn[0]).toContain(`attempt 1 failed: ${NOT_HOSTED}; retrying in 100 ms`);
    expect(lines.warn[1]).toContain(ELECTION);
    expect(lines.warn[2]).toContain(NOT_HOSTED);
    expect(lines.warn[3]).toContain('no leader yet for fresh.events/1');
    expect(lines.warn[3]).toContain('retrying in 800 ms');
  });

  it('retries while the broker cannot be reached yet', async () => {
    const broker = new FreshTopicsBroker([], []);
    const timing = pinnedTiming();
    let connectAttempts = 0;
    const connectAfterTwoRefusals = () =>
      ++connectAttempts <= 2
        ? Promise.reject(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))
        : Promise.resolve();

    await new TopicProvisioner(broker, config, capturedLogs().logger, timing).ensure(
      TOPIC_SPECS,
      connectAfterTwoRefusals,
    );

    expect(connectAttempts).toBe(3);
    expect(timing.waits).toEqual([100, 200]);
    expect([...broker.partitions.keys()]).toEqual(physicalNames);
  });

  it('gives up once the budget is spent, naming the topics, the brokers and the last error', async () => {
    const alwaysNotHosted = Array.from({ length: 100 }, () => notHosted);
    const broker = new FreshTopicsBroker([notHosted], alwaysNotHosted);
    const timing = pinnedTiming();
    const { lines, logger } = capturedLogs();

    const failure = new TopicProvisioner(broker, config, logger, timing).ensure(
      TOPIC_SPECS,
      connected,
    );

    await expect(failure).rejects.toThrow(TopicSetupError);
    const message = await failure.catch((error: Error) => error.message);
    for (const name of physicalNames) expect(message).toContain(name);
    expect(message).toContain('broker-a:9092, broker-b:9092');
    expect(message).toContain('within 2000 ms');
    expect(message).toContain('KAFKA_TOPIC_SETUP_TIMEOUT_MS');
    expect(message).toContain(`last error: ${NOT_HOSTED}`);
    // 100 + 200 + 400 + 800, then the wait is cut to what is left of the budget (500).
    expect(timing.waits).toEqual([100, 200, 400, 800, 500]);
    expect(timing.nowMs).toBe(2_000);
    expect(lines.warn).toHaveLength(5);
    expect(message).toContain('(6 attempts');
  });

  it('counts topics another app created first as success, without claiming their creation', async () => {
    const broker = new FreshTopicsBroker([], []);
    broker.createTopics = (options) => {
      for (const topic of options.topics) broker.partitions.set(topic.topic, 3);
      return Promise.resolve(false); // kafkajs: every topic already existed
    };
    const { lines, logger } = capturedLogs();
    const timing = pinnedTiming();

    const missing = await new TopicProvisioner(broker, config, logger, timing).ensure(
      TOPIC_SPECS,
      connected,
    );

    expect(missing).toEqual(physicalNames);
    expect(lines.log).toEqual([]);
    expect(timing.waits).toEqual([]);
  });

  it('does not touch topics that already exist with leaders', async () => {
    const broker = new FreshTopicsBroker([], []);
    for (const name of physicalNames) broker.partitions.set(name, 3);

    const missing = await new TopicProvisioner(
      broker,
      config,
      capturedLogs().logger,
      pinnedTiming(),
    ).ensure(TOPIC_SPECS, connected);

    expect(missing).toEqual([]);
    expect(broker.createCalls).toBe(0);
  });
});

describe('describeKafkaError', () => {
  it('names the broker answer kafkajs wrapped, once', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(notHosted(), {
      retryCount: 8,
      retryTime: 1,
    });
    expect(describeKafkaError(wrapped)).toBe(NOT_HOSTED);
  });

  it('lists every per-topic error of an aggregate', () => {
    const aggregate = new KafkaJSAggregateError('Topic creation errors', [
      new Error('Replication factor: 3 larger than available brokers: 1.'),
      'topic b: invalid config',
    ]);
    expect(describeKafkaError(aggregate)).toBe(
      'Topic creation errors: Replication factor: 3 larger than available brokers: 1.: topic b: invalid config',
    );
  });
});
