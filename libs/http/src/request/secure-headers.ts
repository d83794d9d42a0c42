import { type FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's secure headers, computed once at boot instead of per request. With static options
 * (no nonce or per-request directive functions) helmet sets the same headers on every response,
 * yet as 12 nested middlewares that rebuild each header per request. So helmet runs once
 * against a recording response and every response gets what it set.
 */
export function secureHeaders(options?: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  if (containsFunction(options)) {
    throw new Error('helmet could not be precomputed: an option is a per-request function');
  }
  const set: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      if (typeof value !== 'string') {
        throw new Error(`helmet set ${name} to a non-string value: cannot be precomputed`);
      }
      set[name] = value;
    },
    // The only header helmet removes, X-Powered-By, is one Fastify never sends.
    removeHeader: () => undefined,
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
  if (Object.keys(set).length === 0)
    throw new Error('helmet set no headers: nothing to precompute');
  return set;
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

/** Directive functions (nonces and the like) are evaluated per request by helmet. */
function containsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(containsFunction);
}
