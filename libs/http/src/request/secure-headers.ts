import { type FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's secure headers, computed once at boot instead of per request. With static options
 * (no nonce or per-request directive functions) helmet sets the same headers on every response,
 * yet as 12 nested middlewares that rebuild each header per request. So helmet runs once
 * against a recording response and every response gets what it set. (The only header helmet
 * removes, X-Powered-By, is one Fastify never sends.)
 */
export function secureHeaders(options?: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  return Object.fromEntries(recordHelmet(options).set);
}

export function installSecureHeaders(
  server: FastifyInstance,
  options?: Readonly<HelmetOptions>,
): void {
  const headers = secureHeaders(options);
  server.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
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
