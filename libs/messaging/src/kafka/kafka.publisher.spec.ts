import { loadConfig } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import { type Producer } from 'kafkajs';
import { KafkaPublisher } from './kafka.publisher';

/**
 * A publisher whose kafkajs producer is replaced by one that counts overlapping sendBatch calls.
 * No broker: what is checked is how many produce calls our publisher lets run at once.
 */
function countingPublisher(acks: 'all' | '1') {
  const config = loadConfig('ingest', {
    KAFKA_BROKERS: '127.0.0.1:1',
    KAFKA_ACKS: acks,
    KAIROS_AUTH: 'off',
    LOG_LEVEL: 'error',
  });
  const publisher = new KafkaPublisher(config);
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const producer: Pick<Producer, 'connect' | 'sendBatch' | 'disconnect'> = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    sendBatch: async () => {
      calls += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return [];
    },
  };
  // The private field holds the real kafkajs producer; swap it before the first send.
  Object.assign(publisher, { producer });
  return { publisher, stats: () => ({ maxInFlight, calls }) };
}

async function publishConcurrently(publisher: KafkaPublisher, callers: number): Promise<void> {
  await Promise.all(
    Array.from({ length: callers }, (_, i) =>
      publisher.publish(Topic.Events, [{ key: `u${i}`, value: { i } }]),
    ),
  );
}

describe('KafkaPublisher', () => {
  it('lets one produce call run at a time when idempotent (acks=all), so kafkajs never reuses sequence numbers', async () => {
    const { publisher, stats } = countingPublisher('all');
    await publishConcurrently(publisher, 20);
    await publishConcurrently(publisher, 20);

    expect(stats().maxInFlight).toBe(1);
    expect(stats().calls).toBeGreaterThan(1);
  });

  it('keeps two produce calls in flight when not idempotent', async () => {
    const { publisher, stats } = countingPublisher('1');
    await publishConcurrently(publisher, 20);

    expect(stats().maxInFlight).toBe(2);
  });
});
