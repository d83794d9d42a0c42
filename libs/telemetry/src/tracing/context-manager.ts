import { type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * The SDK's AsyncLocalStorage context manager, with AsyncLocalStorage switched on only while some
 * work runs in a context.
 *
 * Why: on Node 20, AsyncLocalStorage propagates through promise hooks, and once one context has
 * been entered they stay on for every promise of the process. A GET answered from memory made
 * no span and entered no context, yet cost 55-57 µs of CPU instead of 33-37 with the hooks on
 * (bench/recommender/get, closed loop; bench/telemetry/README.md). So this manager counts who
 * needs contexts and switches the storage off when nobody does:
 *
 * - `with(context, fn)` where `fn` returns a promise holds until the promise settles (a consumed
 *   batch, a span around async work); the caller gets a promise settling the same way.
 * - a synchronous `fn` holds until the current turn of the event loop has ended (setImmediate),
 *   so what it started synchronously can still pick the context up;
 * - `hold()` holds until its release is called: a request whose handler runs in its span's
 *   context releases when the response has gone (trace-hooks.ts).
 *
 * What this gives up: work detached from a context (a promise nobody awaits, a timer) that is
 * still running after every hold is released runs outside it, as if started at the root (its
 * spans start traces of their own). Kairos's own work awaits what it starts within a span.
 *
 * Entering the context that is already active is a plain call: nothing changes for `fn` or for
 * anything it starts. The MongoDB instrumentation re-enters the caller's context around the
 * result of every command, even outside any trace (instrumentation-mongodb 0.76, `_patchEnd`).
 */
export class KairosContextManager extends AsyncLocalStorageContextManager {
  private holds = 0;

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (context === this.active()) return fn.apply(thisArg, args);
    const release = this.hold();
    let result: ReturnType<F>;
    try {
      result = super.with(context, fn, thisArg, ...args);
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          release();
          return value;
        },
        (error: unknown) => {
          release();
          throw error;
        },
      ) as ReturnType<F>;
    }
    setImmediate(release);
    return result;
  }

  /** Keeps contexts propagating until the returned function is called (once counts). */
  hold(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      // Off until the next `with` (AsyncLocalStorage.run switches it on again by itself).
      if (this.holds === 0) this.disable();
    };
  }

  /** Whether some work holds contexts now (for tests and diagnostics). */
  get holding(): boolean {
    return this.holds > 0;
  }
}
