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
