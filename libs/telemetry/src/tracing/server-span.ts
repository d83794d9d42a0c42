import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { type RequestTracer, type TracedRequest } from '@kairos/http';
import { unsampledTraceContext } from './active-trace';
import { tracer } from './spans';

/**
 * HTTP server spans made by hand instead of by the http and NestJS auto-instrumentations, whose
 * wrappers (request and response emitters bound to the context, every handler wrapped) cost
 * every request the same whether it is sampled or not.
 *
 * The sampler decides first, as the span starts (parent-based: an incoming `traceparent`'s
 * sampled flag, else the ratio). An unsampled request still gets valid ids, from the SDK's
 * non-recording span, and runs in an unsampled-trace context (see active-trace.ts) so logs and
 * Kafka records carry them while no child span is made; only a sampled one gets attributes and
 * an end.
 */
export const serverSpanTracer: RequestTracer = {
  start({ method, url, headers }): TracedRequest {
    const parent = propagation.extract(ROOT_CONTEXT, headers);
    const span = tracer().startSpan(method, { kind: SpanKind.SERVER }, parent);
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
    const requestContext = recording
      ? trace.setSpan(parent, span)
      : unsampledTraceContext(span.spanContext(), parent);
    return {
      trace: {
        traceId,
        spanId,
        traceparent: `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === 0 ? '00' : '01'}`,
        tracestate: traceState?.serialize(),
      },
      recording,
      run: (next) => context.with(requestContext, next),
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
