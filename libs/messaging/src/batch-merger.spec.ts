import { BatchMerger } from './batch-merger';
import { type InboundBatch } from './kafka/inbound-message';

function batchOf(partition: number, offsets: readonly number[]): InboundBatch {
  return {
    topic: 'events',
    partitions: [partition],
    messages: offsets.map((offset) => ({
      topic: 'events',
      partition,
      offset: String(offset),
      key: `user-${partition}`,
      value: null,
      headers: {},
      timestamp: 0,
    })),
  };
}

/** partition:offset of every record of each call, in the order the handler saw them. */
function recordsOf(calls: readonly InboundBatch[]): string[][] {
  return calls.map((call) => call.messages.map((m) => `${m.partition}:${m.offset}`));
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BatchMerger', () => {
  it('hands the batches submitted in one turn of the event loop to one call, in submission order', async () => {
    const calls: InboundBatch[] = [];
    const merger = new BatchMerger((batch) => {
      calls.push(batch);
      return Promise.resolve();
    }, 100);

    await Promise.all([
      merger.submit(batchOf(3, [10, 11])),
      merger.submit(batchOf(0, [5])),
      merger.submit(batchOf(7, [1, 2, 3])),
    ]);

    expect(recordsOf(calls)).toEqual([['3:10', '3:11', '0:5', '7:1', '7:2', '7:3']]);
    expect(calls[0]?.partitions).toEqual([3, 0, 7]);
  });

  it('starts a new call for a batch submitted while the previous call runs', async () => {
    const calls: InboundBatch[] = [];
    let release: () => void = () => undefined;
    const merger = new BatchMerger(async (batch) => {
      calls.push(batch);
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 100);

    const first = merger.submit(batchOf(0, [1]));
    await nextTurn();
    expect(calls).toHaveLength(1);
    const second = merger.submit(batchOf(1, [1]));
    await nextTurn();
    // The first call has not settled; the second batch did not wait for it.
    expect(recordsOf(calls)).toEqual([['0:1'], ['1:1']]);
    await second;
    release();
    await first;
  });

  it('settles every submitter of a call with its outcome', async () => {
    const failure = new Error('MongoDB is down');
    const merger = new BatchMerger(() => Promise.reject(failure), 100);

    const outcomes = await Promise.allSettled([
      merger.submit(batchOf(0, [1])),
      merger.submit(batchOf(1, [1])),
    ]);

    expect(outcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
  });

  it('never puts more than maxRecords records in one call, unless one batch alone is larger', async () => {
    const calls: InboundBatch[] = [];
    const merger = new BatchMerger((batch) => {
      calls.push(batch);
      return Promise.resolve();
    }, 4);

    await Promise.all([
      merger.submit(batchOf(0, [1, 2])),
      merger.submit(batchOf(1, [1, 2])),
      merger.submit(batchOf(2, [1])),
      merger.submit(batchOf(3, [1, 2, 3, 4, 5, 6])),
      merger.submit(batchOf(4, [1])),
    ]);

    expect(recordsOf(calls)).toEqual([
      ['0:1', '0:2', '1:1', '1:2'],
      ['2:1'],
      ['3:1', '3:2', '3:3', '3:4', '3:5', '3:6'],
      ['4:1'],
    ]);
  });

  it('passes a single batch through as it is', async () => {
    const calls: InboundBatch[] = [];
    const merger = new BatchMerger((batch) => {
      calls.push(batch);
      return Promise.resolve();
    }, 100);
    const batch = batchOf(5, [1, 2]);

    await merger.submit(batch);

    expect(calls).toEqual([batch]);
  });
});
