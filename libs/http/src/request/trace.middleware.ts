import { type NextFunction, type Request, type Response } from 'express';
import { type KairosRequest } from './kairos-request';
import { type RequestTracer } from './request-tracer';
import { traceFromHeaders } from './trace-context';

type Middleware = (request: KairosRequest, response: Response, next: NextFunction) => void;

/** Paths scraped or probed every few seconds: a span each would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/|metrics|docs)/;

/**
 * Two middlewares around body parsing.
 *
 * `startTrace` (first of all) gives every response its trace id (`x-trace-id`, `traceparent`):
 * with tracing on, the server span's, whose sampling `tracer` decides (an unsampled request gets
 * valid ids but no recording); otherwise the caller's trace continued, or a new one.
 *
 * `enterTraceContext` (after the body is read) runs the routing and the handler inside the span's
 * context. Entering there rather than in `startTrace` spares binding the request stream: the
 * body's chunks arrive in the socket's async context, not the one the middleware entered.
 */
export function traceMiddlewares(tracer: RequestTracer | null): {
  readonly startTrace: Middleware;
  readonly enterTraceContext: Middleware;
} {
  const startTrace: Middleware = (request, response, next) => {
    const traced =
      tracer !== null && !UNTRACED_PATHS.test(request.url) ? tracer.start(request) : null;
    const requestTrace =
      traced?.trace ?? traceFromHeaders(request.headers.traceparent, request.headers.tracestate);
    request.kairosTrace = requestTrace;
    request.kairosTracing = traced ?? undefined;
    response.setHeader('x-trace-id', requestTrace.traceId);
    response.setHeader('traceparent', requestTrace.traceparent);
    if (traced?.recording === true) {
      // 'close' follows 'finish' and also comes when the client goes away first.
      response.once('close', () =>
        traced.end({ statusCode: response.statusCode, route: matchedRoute(request) }),
      );
    }
    next();
  };
  const enterTraceContext: Middleware = (request, _response, next) => {
    const traced = request.kairosTracing;
    if (traced === undefined) next();
    else traced.run(next);
  };
  return { startTrace, enterTraceContext };
}

/** The route template Express matched (`/v1/recommendations/:userId`), never the raw path. */
function matchedRoute(request: Request): string | null {
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? `${request.baseUrl}${route}` : null;
}
