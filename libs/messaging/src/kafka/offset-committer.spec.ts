import { OffsetCommitter } from './offset-committer';

type Offsets = { topic: string; partition: number; offset: string }[];

function fakeConsumer(): {
  commits: Offsets[];
  refuse: number;
  commitOffsets: (o: Offsets) => Promise<void>;
} {
  const consumer = {
    commits: [] as Offsets[],
    refuse: 0,
    commitOffsets(offsets: Offsets): Promise<void> {
      if (consumer.refuse > 0) {
        consumer.refuse -= 1;
        return Promise.reject(new Error('REBALANCE_IN_PROGRESS'));
      }
      consumer.commits.push(offsets);
      return Promise.resolve();
    },
  };
  return consumer;
}

describe('OffsetCommitter', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('with no interval, commits every handled step and lets a refusal through', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(consumer, 0, () => undefined, clock);
    await committer.handled('t', 0, '5');
    await committer.handled('t', 0, '7');
    expect(consumer.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '5' }],
      [{ topic: 't', partition: 0, offset: '7' }],
    ]);
    consumer.refuse = 1;
    await expect(committer.handled('t', 0, '9')).rejects.toThrow('REBALANCE_IN_PROGRESS');
  });

  it('with an interval, commits the newest offset of every partition together, once per interval', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(consumer, 100, () => undefined, clock);
    await committer.handled('t', 0, '1'); // first of the interval: at once
    now += 10;
    await committer.handled('t', 0, '2');
    await committer.handled('t', 1, '8');
    await committer.handled('t', 0, '3');
    expect(consumer.commits).toHaveLength(1);

    now += 100;
    await jest.advanceTimersByTimeAsync(100); // no further step: the timer commits
    expect(consumer.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '1' }],
      [
        { topic: 't', partition: 0, offset: '3' },
        { topic: 't', partition: 1, offset: '8' },
      ],
    ]);
    await committer.flush();
    expect(consumer.commits).toHaveLength(2); // nothing pending, nothing sent
  });

  it('keeps refused offsets for the next commit, unless a newer one came meanwhile', async () => {
    const consumer = fakeConsumer();
    const failures: unknown[] = [];
    const committer = new OffsetCommitter(consumer, 100, (e) => failures.push(e), clock);
    consumer.refuse = 1;
    const refused = committer.handled('t', 0, '4'); // sent, then refused
    await committer.handled('t', 1, '2'); // while the refused commit is in flight
    await committer.handled('t', 0, '6'); // newer than the refused one
    await refused;
    expect(failures).toHaveLength(1);
    await committer.flush();
    expect(consumer.commits).toEqual([
      [
        { topic: 't', partition: 1, offset: '2' },
        { topic: 't', partition: 0, offset: '6' },
      ],
    ]);
  });

  it('retries a refused commit by its timer when no further step comes', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(consumer, 100, () => undefined, clock);
    consumer.refuse = 1;
    await committer.handled('t', 0, '4');
    expect(consumer.commits).toEqual([]);
    now += 100;
    await jest.advanceTimersByTimeAsync(100);
    expect(consumer.commits).toEqual([[{ topic: 't', partition: 0, offset: '4' }]]);
  });

  it('forgets offsets of partitions a rebalance took away', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(consumer, 100, () => undefined, clock);
    await committer.handled('t', 0, '1');
    await committer.handled('t', 0, '2');
    await committer.handled('t', 1, '5');
    await committer.handled('u', 0, '9');
    committer.keepOnly({ t: [1], u: [] });
    await committer.flush();
    expect(consumer.commits.at(-1)).toEqual([{ topic: 't', partition: 1, offset: '5' }]);
  });
});
