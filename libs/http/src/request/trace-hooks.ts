import { RouteConfig } from '@nestjs/platform-fastify';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type KairosRequest, matchedRoute } from './kairos-request';
import { type RequestTracer } from './request-tracer';
import { traceFromHeaders } from './trace-context';

/** Paths scraped or probed every few seconds: a span each would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/|metrics|docs)/;

/**
 * Two hooks around body parsing.
 *
 * The `onRequest` one gives every response its trace id (`x-trace-id`, `traceparent`): with
 * tracing on, the server span's, whose sampling `tracer` decides (an unsampled request gets
 * valid ids but no recording); otherwise the caller's trace continued, or a new one.
 *
 * The last `preHandler` one runs the handler (guards, pipes, controller) inside the span's
 * context, until the response has gone. Entering there rather than on request spares binding
 * the request stream: the body's chunks arrive in the socket's async context, not the one a
 * hook entered. Routes marked `EntersTraceItself` are left out: their handler enters the
 * context only for the work that needs it (`TracedRequest.enter`).
 */
export function installTraceHooks(server: FastifyInstance, tracer: RequestTracer | null): void {
  server.addHook('onRequest', (request, reply, done) => {
    const kairos = request as KairosRequest;
    const traced =
      tracer !== null && !UNTRACED_PATHS.test(request.url) ? tracer.start(request) : null;
    const requestTrace =
      traced?.trace ??
      traceFromHeaders(
        request.headers.traceparent,
        request.headers.tracestate,
        request.headers.baggage,
      );
    kairos.kairosTrace = requestTrace;
    kairos.kairosTracing = traced;
    reply.header('x-trace-id', requestTrace.traceId);
    reply.header('traceparent', requestTrace.traceparent);
    if (traced?.recording === true) {
      // 'close' follows 'finish' and also comes when the client goes away first.
      reply.raw.once('close', () =>
        traced.end({ statusCode: reply.raw.statusCode, route: matchedRoute(request) }),
      );
    }
    done();
  });
  if (tracer === null) return;
  server.addHook('preHandler', (request, reply, done) => {
    const traced = (request as KairosRequest).kairosTracing;
    if (traced === null || entersTraceItself(request)) done();
    else {
      traced.run(done, (finished) => {
        if (reply.raw.closed) finished();
        else reply.raw.once('close', finished);
      });
    }
  });
}

/** The Fastify route config `EntersTraceItself` sets (for routes declared without Nest). */
export const ENTERS_TRACE_ITSELF = { kairosEntersTraceItself: true } as const;

/**
 * Marks a route whose handler is not run in its request's trace context: it calls
 * `TracedRequest.enter` for the work that needs the context (spans, instrumented storage). For a
 * hot route whose usual answer needs none: while any context is entered, every promise of the
 * process pays AsyncLocalStorage's hooks (see server-span.ts in libs/telemetry).
 */
export const EntersTraceItself = (): MethodDecorator => RouteConfig(ENTERS_TRACE_ITSELF);

function entersTraceItself(request: FastifyRequest): boolean {
  const config: Partial<Record<string, unknown>> | undefined = request.routeOptions.config;
  return config?.kairosEntersTraceItself === true;
}

/** Runs `work` in the request's trace context when tracing runs for it, else as it is. */
export function inRequestTrace<T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> {
  const traced = (request as KairosRequest).kairosTracing;
  return traced === null ? work() : traced.enter(work);
}
