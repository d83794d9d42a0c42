import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type ApiKeyConfig } from '@kairos/config';
import { type TracedRequest } from './request-tracer';
import { type RequestTrace } from './trace-context';

/**
 * What our hooks and guards attach to a request. The fields are declared on the Fastify
 * instance (`decorateRequest`, see configure-http-app.ts) so every request object has the same
 * shape from the start instead of growing properties per request.
 */
export interface KairosRequest extends FastifyRequest {
  kairosTrace: RequestTrace | null;
  /** The server span when tracing runs for this request. */
  kairosTracing: TracedRequest | null;
  /** The authenticated key (null when auth is off or not checked yet). */
  apiKey: ApiKeyConfig | null;
}

export type KairosReply = FastifyReply;

/** The route template Fastify matched (`/v1/items/:itemId`), never the concrete path. */
export function matchedRoute(request: FastifyRequest): string | null {
  const route = request.routeOptions.url;
  return typeof route === 'string' ? route : null;
}
