import { type FastifyInstance } from 'fastify';
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
 * context. Entering there rather than on request spares binding the request stream: the body's
 * chunks arrive in the socket's async context, not the one a hook entered.
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
  server.addHook('preHandler', (request, _reply, done) => {
    const traced = (request as KairosRequest).kairosTracing;
    if (traced === null) done();
    else traced.run(done);
  });
}
