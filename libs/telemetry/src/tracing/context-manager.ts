import { type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * The SDK's AsyncLocalStorage context manager, except that "entering" the context that is
 * already active is a plain call: nothing changes for `fn` or for anything it starts, so the
 * `AsyncLocalStorage.run` is skipped.
 *
 * The MongoDB instrumentation re-enters the caller's context around the result of every command,
 * even outside any trace and although the handler it wraps does nothing (instrumentation-mongodb
 * 0.76, `_patchEnd`): a `run` per command for nothing, and on Node 20 the first `run` of a
 * process switches AsyncLocalStorage's promise hooks on for every promise from then on. With
 * this manager a database call no longer does that by itself; work that runs in a trace (a
 * consumed batch, a sampled request) still enters its context as before.
 */
export class KairosContextManager extends AsyncLocalStorageContextManager {
  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (context === this.active()) return fn.apply(thisArg, args);
    return super.with(context, fn, thisArg, ...args);
  }
}
