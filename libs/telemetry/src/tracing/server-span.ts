import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { acceptedBaggage, type RequestTracer, type TracedRequest } from '@kairos/http';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { unsampledTraceContext } from './active-trace';
import { tracer } from './spans';
import { type TraceSampling, traceSampling } from './tracing-state';

/**
 * HTTP server spans made by hand instead of by the http and NestJS auto-instrumentations, whose
 * wrappers (request and response emitters bound to the context, every handler wrapped) cost
 * every request the same whether it is sampled or not.
 *
 * The sampler decides first, as the span starts (parent-based: an incoming `traceparent`'s
 * sampled flag, else the ratio). An unsampled request still gets valid ids, from the SDK's
 * non-recording span; only a sampled one gets attributes and an end.
 *
 * `enterContext` says how handlers find the span. Entered (the default), the handler runs in
 * the span's context (an unsampled request in an unsampled-trace context, see active-trace.ts)
 * until the response has gone, so child spans, instrumentations and log lines find it. Not
 * entered, handlers take it from the request (`requestTrace`) and pass it on, or run just the
 * work that needs it in it (`enter`): while any context is entered, AsyncLocalStorage's promise
 * hooks cost every promise of the process (ingest: about 10% of its throughput at any ratio; a
 * recommender GET from memory 55 µs of CPU instead of 35, bench/telemetry/README.md).
 */
export function serverSpanTracer(
  options: { readonly enterContext: boolean } = { enterContext: true },
): RequestTracer {
  const sampling = traceSampling();
  return {
    start({ method, url, headers }): TracedRequest {
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      const span = startServerSpan(sampling, parent, method);
      const recording = span.isRecording();
      if (recording) {
        span.setAttributes({
          'http.request.method': method,
          'url.path': url.split('?', 1)[0] ?? url,
          ...(headers['user-agent'] === undefined
            ? {}
            : { 'user_agent.original': headers['user-agent'] }),
        });
      }
      const { traceId, spanId, traceFlags, traceState } = span.spanContext();
      const handlerContext = (): Context =>
        recording ? trace.setSpan(parent, span) : unsampledTraceContext(span.spanContext(), parent);
      return {
        trace: {
          traceId,
          spanId,
          traceparent: `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === 0 ? '00' : '01'}`,
          tracestate: traceState?.serialize(),
          baggage: acceptedBaggage(headers.baggage),
        },
        recording,
        run: options.enterContext
          ? (next, finished) => {
              // Entered for as long as the response is on its way: the returned promise keeps
              // the context manager propagating until then (context-manager.ts).
              void context.with(handlerContext(), () => {
                next();
                return new Promise<void>((resolve) => finished(resolve));
              });
            }
          : (next) => next(),
        enter: (work) => context.with(handlerContext(), work),
        end: ({ statusCode, route }) => {
          if (route !== null) {
            span.updateName(`${method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('http.response.status_code', statusCode);
          // Server spans mark only server errors as failed; a 4xx is the client's.
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
}

/**
 * The request's span, sampled as the SDK's `startSpan` would (the same sampler, on the same
 * parent and trace id). What the sampler leaves out gets only ids, in a non-recording span made
 * here: the SDK's own path there (its id draws, span metrics and debug logging) was most of
 * what tracing cost an unsampled GET in CPU profiles (bench/telemetry/README.md).
 */
function startServerSpan({ sampler, ids }: TraceSampling, parent: Context, name: string): Span {
  const parentSpan = trace.getSpanContext(parent);
  const root = parentSpan === undefined || !trace.isSpanContextValid(parentSpan);
  const traceId = root ? ids.generateTraceId() : parentSpan.traceId;
  const result = sampler.shouldSample(parent, traceId, name, SpanKind.SERVER, {}, []);
  if (result.decision === SamplingDecision.NOT_RECORD) {
    return trace.wrapSpanContext({
      traceId,
      spanId: ids.generateSpanId(),
      traceFlags: TraceFlags.NONE,
      traceState: result.traceState ?? (root ? undefined : parentSpan.traceState),
    });
  }
  const start = (): Span => tracer().startSpan(name, { kind: SpanKind.SERVER }, parent);
  // The SDK samples again, on the trace id the sampler saw: same inputs, same decision.
  return root ? ids.withTraceId(traceId, start) : start();
}
