import { AsyncLocalStorage } from 'node:async_hooks';
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { KairosContextManager } from './context-manager';

const KEY = createContextKey('test.key');

describe('KairosContextManager', () => {
  let manager: KairosContextManager;
  let runs: jest.SpyInstance;

  beforeEach(() => {
    manager = new KairosContextManager().enable();
    runs = jest.spyOn(AsyncLocalStorage.prototype, 'run');
  });

  afterEach(() => {
    runs.mockRestore();
    manager.disable();
  });

  it('calls the function directly when asked to enter the context already active', () => {
    const self = { name: 'receiver' };
    const result = manager.with(
      ROOT_CONTEXT,
      function (this: typeof self, a: number, b: number) {
        return `${this.name}:${a + b}`;
      },
      self,
      2,
      3,
    );
    expect(result).toBe('receiver:5');
    expect(runs).not.toHaveBeenCalled();
  });

  it('enters a different context, for the function and the async work it starts', async () => {
    const entered = ROOT_CONTEXT.setValue(KEY, 'a');
    const seen = await manager.with(
      entered,
      async (suffix: string) => {
        await new Promise((resolve) => setImmediate(resolve));
        return `${String(manager.active().getValue(KEY))}${suffix}`;
      },
      undefined,
      '!',
    );
    expect(seen).toBe('a!');
    expect(runs).toHaveBeenCalledTimes(1);
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('inside a context, skips re-entering it but still switches back to the root', () => {
    const entered = ROOT_CONTEXT.setValue(KEY, 'a');
    manager.with(entered, () => {
      expect(manager.with(entered, () => manager.active())).toBe(entered);
      expect(runs).toHaveBeenCalledTimes(1);
      expect(manager.with(ROOT_CONTEXT, () => manager.active())).toBe(ROOT_CONTEXT);
      expect(runs).toHaveBeenCalledTimes(2);
      expect(manager.active()).toBe(entered);
    });
  });
});

describe('KairosContextManager holds contexts only while work runs in one', () => {
  let manager: KairosContextManager;
  let disables: jest.SpyInstance;
  const a = ROOT_CONTEXT.setValue(KEY, 'a');
  const b = ROOT_CONTEXT.setValue(KEY, 'b');
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    manager = new KairosContextManager().enable();
    // The manager's disable switches its AsyncLocalStorage (and with it the hooks) off.
    disables = jest.spyOn(manager, 'disable');
  });

  afterEach(() => {
    disables.mockRestore();
    manager.disable();
  });

  it('switches AsyncLocalStorage off once the last async work in a context has settled', async () => {
    const first = manager.with(a, async () => {
      await turn();
      return manager.active().getValue(KEY);
    });
    // b outlives a: a's end must not take b's context away from b's later continuations.
    const second = manager.with(b, async () => {
      await turn();
      await turn();
      await turn();
      return manager.active().getValue(KEY);
    });
    expect(await first).toBe('a');
    expect(manager.holding).toBe(true);
    expect(disables).not.toHaveBeenCalled();
    expect(await second).toBe('b');
    expect(manager.holding).toBe(false);
    expect(disables).toHaveBeenCalledTimes(1);
    expect(manager.active()).toBe(ROOT_CONTEXT);
    // And on again for the next context.
    expect(
      await manager.with(a, async () => {
        await turn();
        return manager.active().getValue(KEY);
      }),
    ).toBe('a');
  });

  it('passes a rejection through and still releases', async () => {
    const failed = manager.with(a, async () => {
      await turn();
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(manager.holding).toBe(false);
  });

  it('releases a synchronous throw at once', () => {
    expect(() =>
      manager.with(a, () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    expect(manager.holding).toBe(false);
  });

  it('keeps the context of synchronous work for what it started in the same turn', async () => {
    let started: Promise<unknown> = Promise.resolve();
    manager.with(a, () => {
      started = Promise.resolve().then(() => manager.active().getValue(KEY));
    });
    expect(manager.holding).toBe(true);
    expect(await started).toBe('a');
    await turn();
    expect(manager.holding).toBe(false);
  });

  it('holds for an explicit hold until released, once', async () => {
    const release = manager.hold();
    const seen = manager.with(a, () => new Promise((resolve) => setImmediate(resolve)));
    await seen;
    expect(manager.holding).toBe(true);
    release();
    release();
    expect(manager.holding).toBe(false);
    expect(disables).toHaveBeenCalledTimes(1);
  });
});
