import helmet, { type HelmetOptions } from 'helmet';
import { type Middleware } from './middleware-chain';

/**
 * Helmet's secure headers, computed once at boot instead of per request. With static options
 * (no nonce or per-request directive functions) helmet sets the same headers on every response,
 * yet as 12 nested middlewares that rebuild each header per request (visible in the CPU profile
 * of bench/recommender/get). So helmet runs once against a recording response and the
 * middleware replays what it did.
 */
export function secureHeaders(options?: Readonly<HelmetOptions>): Middleware {
  const { set, removed } = recordHelmet(options);
  return (_request, response, next) => {
    for (const [name, value] of set) response.setHeader(name, value);
    for (const name of removed) response.removeHeader(name);
    next();
  };
}

/** The headers helmet sets and removes, observed on a response that records the calls. */
export function recordHelmet(options?: Readonly<HelmetOptions>): {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly removed: readonly string[];
} {
  if (containsFunction(options)) {
    throw new Error('helmet could not be precomputed: an option is a per-request function');
  }
  const set: Array<readonly [string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      if (typeof value !== 'string') {
        throw new Error(`helmet set ${name} to a non-string value: cannot be precomputed`);
      }
      set.push([name, value]);
    },
    removeHeader: (name: string) => removed.push(name),
  };
  let outcome: unknown = new Error('next() was not called synchronously');
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    outcome = error;
  });
  // Anything asynchronous or failing means the options depend on the request: not precomputable.
  if (outcome !== undefined) {
    throw new Error(
      `helmet could not be precomputed: ${outcome instanceof Error ? outcome.message : 'next() got a non-Error'}`,
    );
  }
  if (set.length === 0) throw new Error('helmet set no headers: nothing to precompute');
  return { set, removed };
}

/** Directive functions (nonces and the like) are evaluated per request by helmet. */
function containsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(containsFunction);
}
