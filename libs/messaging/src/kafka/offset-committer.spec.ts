import { OffsetCommitter, type PartitionOffset } from './offset-committer';

/** A broker stand-in: records commits; refuses the next `refuse` ones; may hold them open. */
function fakeBroker() {
  const broker = {
    commits: [] as PartitionOffset[][],
    refuse: 0,
    held: null as null | { resolve: () => void; reject: (error: Error) => void },
    hold: false,
    commit(offsets: readonly PartitionOffset[]): Promise<void> {
      if (broker.hold) {
        return new Promise<void>((resolve, reject) => {
          broker.held = {
            resolve: () => {
              broker.commits.push([...offsets]);
              resolve();
            },
            reject,
          };
        });
      }
      if (broker.refuse > 0) {
        broker.refuse -= 1;
        return Promise.reject(new Error('REBALANCE_IN_PROGRESS'));
      }
      broker.commits.push([...offsets]);
      return Promise.resolve();
    },
  };
  return broker;
}

describe('OffsetCommitter', () => {
  let now = 0;
  const clock = (): number => now;
  const committerFor = (broker: ReturnType<typeof fakeBroker>, intervalMs: number) =>
    new OffsetCommitter(
      (o) => broker.commit(o),
      intervalMs,
      () => undefined,
      clock,
    );
  beforeEach(() => {
    now = 1_000_000;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('with no interval, commits every handled step and lets a refusal through', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 0);
    await committer.handled('t', 0, '5');
    await committer.handled('t', 0, '7');
    expect(broker.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '5' }],
      [{ topic: 't', partition: 0, offset: '7' }],
    ]);
    broker.refuse = 1;
    await expect(committer.handled('t', 0, '9')).rejects.toThrow('REBALANCE_IN_PROGRESS');
    const viaPayload: PartitionOffset[][] = [];
    await committer.handled('t', 0, '11', (offsets) => {
      viaPayload.push([...offsets]);
      return Promise.resolve();
    });
    expect(viaPayload).toEqual([[{ topic: 't', partition: 0, offset: '11' }]]);
    expect(broker.commits).toHaveLength(2);
  });

  it('with an interval, commits the newest offset of every partition together, once per interval', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    await committer.handled('t', 0, '1'); // first of the interval: at once
    now += 10;
    await committer.handled('t', 0, '2');
    await committer.handled('t', 1, '8');
    await committer.handled('t', 0, '3');
    expect(broker.commits).toHaveLength(1);

    now += 100;
    await jest.advanceTimersByTimeAsync(100); // no further step: the timer commits
    expect(broker.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '1' }],
      [
        { topic: 't', partition: 0, offset: '3' },
        { topic: 't', partition: 1, offset: '8' },
      ],
    ]);
    await committer.flush();
    expect(broker.commits).toHaveLength(2); // nothing pending, nothing sent
  });

  it('sends one commit at a time, so a refused older offset never lands over a newer one', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    broker.hold = true;
    const first = committer.handled('t', 0, '10'); // commit A, held open by the broker
    while (broker.held === null) await Promise.resolve();
    now += 100;
    broker.hold = false;
    const second = committer.handled('t', 0, '20'); // due, but waits for A
    await Promise.resolve();
    expect(broker.commits).toEqual([]);
    broker.held?.reject(new Error('REQUEST_TIMED_OUT')); // A fails after 20 was handled
    await Promise.all([first, second]);
    await committer.flush();
    expect(broker.commits).toEqual([[{ topic: 't', partition: 0, offset: '20' }]]);
  });

  it('keeps a refused offset for the next commit, retried by its timer', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    broker.refuse = 1;
    await committer.handled('t', 0, '4');
    expect(broker.commits).toEqual([]);
    now += 100;
    await jest.advanceTimersByTimeAsync(100);
    expect(broker.commits).toEqual([[{ topic: 't', partition: 0, offset: '4' }]]);
  });

  it('forgets what is pending or refused across a rebalance (the partitions restart from their commits)', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    broker.hold = true;
    const inFlight = committer.handled('t', 0, '1');
    while (broker.held === null) await Promise.resolve();
    await committer.handled('t', 0, '2');
    await committer.handled('t', 1, '5');
    committer.forgetPending();
    broker.held?.reject(new Error('ILLEGAL_GENERATION')); // refused across the rebalance
    await inFlight;
    broker.hold = false;
    await committer.flush();
    expect(broker.commits).toEqual([]);
    await committer.handled('t', 1, '6'); // handled after the rebalance: committed as usual
    now += 100;
    await jest.advanceTimersByTimeAsync(100);
    expect(broker.commits).toEqual([[{ topic: 't', partition: 1, offset: '6' }]]);
  });

  it('drops a refused offset when a rebalance came before the refusal was answered too', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    broker.refuse = 1;
    await committer.handled('t', 0, '3'); // refused before the rebalance: kept for a retry
    committer.forgetPending(); // the rebalance: the retry would commit 3 under the new generation
    now += 100;
    await jest.advanceTimersByTimeAsync(100);
    expect(broker.commits).toEqual([]);
  });

  it('commits through another path when asked (a stopping consumer), and nothing once closed', async () => {
    const broker = fakeBroker();
    const committer = committerFor(broker, 100);
    await committer.handled('t', 0, '1');
    await committer.handled('t', 0, '2');
    const viaPayload: PartitionOffset[][] = [];
    await committer.flush((offsets) => {
      viaPayload.push([...offsets]);
      return Promise.resolve();
    });
    expect(viaPayload).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);

    await committer.handled('t', 0, '3');
    committer.close();
    now += 100;
    await jest.advanceTimersByTimeAsync(1_000);
    await committer.flush();
    expect(broker.commits).toEqual([[{ topic: 't', partition: 0, offset: '1' }]]);
  });
});
