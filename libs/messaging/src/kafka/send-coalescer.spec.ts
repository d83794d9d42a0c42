import { SendCoalescer } from './send-coalescer';

/** A send function whose requests the test completes by hand. */
function manualSender() {
  const requests: Array<{
    byTopic: ReadonlyMap<string, string[]>;
    finish: (error?: Error) => void;
  }> = [];
  const send = (byTopic: ReadonlyMap<string, string[]>) =>
    new Promise<void>((resolve, reject) => {
      requests.push({ byTopic, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { requests, send };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SendCoalescer', () => {
  it('sends at once while a slot is free, and coalesces calls queued behind busy slots', async () => {
    const { requests, send } = manualSender();
    const coalescer = new SendCoalescer(send, 1);
    const first = coalescer.write('events', ['a']);
    const second = coalescer.write('events', ['b']);
    const third = coalescer.write('items', ['c']);
    expect(requests).toHaveLength(1);
    expect([...requests[0]!.byTopic]).toEqual([['events', ['a']]]);
    requests[0]!.finish();
    await first;
    await flush();
    expect(requests).toHaveLength(2);
    expect([...requests[1]!.byTopic]).toEqual([
      ['events', ['b']],
      ['items', ['c']],
    ]);
    requests[1]!.finish();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
  });

  it('rejects exactly the callers whose request failed', async () => {
    const { requests, send } = manualSender();
    const coalescer = new SendCoalescer(send, 1);
    const first = coalescer.write('events', ['a']);
    const second = coalescer.write('events', ['b']);
    requests[0]!.finish(new Error('broker down'));
    await expect(first).rejects.toThrow('broker down');
    await flush();
    requests[1]!.finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('caps records per request without splitting a caller', async () => {
    const { requests, send } = manualSender();
    const coalescer = new SendCoalescer(send, 1, 3);
    void coalescer.write('events', ['x']);
    void coalescer.write('events', ['a', 'b']);
    void coalescer.write('events', ['c', 'd']);
    void coalescer.write('events', ['e', 'f', 'g', 'h']);
    expect(coalescer.pendingMessages).toBe(8);
    requests[0]!.finish();
    await flush();
    expect(requests[1]!.byTopic.get('events')).toEqual(['a', 'b']);
    requests[1]!.finish();
    await flush();
    expect(requests[2]!.byTopic.get('events')).toEqual(['c', 'd']);
    requests[2]!.finish();
    await flush();
    // A single write larger than the cap still goes out, alone.
    expect(requests[3]!.byTopic.get('events')).toEqual(['e', 'f', 'g', 'h']);
    expect(coalescer.pendingMessages).toBe(0);
  });
});
