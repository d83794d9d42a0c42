import { context, trace } from '@opentelemetry/api';
import { type NextFunction, type Response } from 'express';
import { type KairosRequest } from './kairos-request';
import { type RequestTrace, traceFromHeaders } from './trace-context';

/**
 * Every response carries its trace id (`x-trace-id`, `traceparent`) for correlation: the HTTP
 * server span's when tracing runs, otherwise the caller's trace continued (or a new one).
 */
export function traceMiddleware(
  request: KairosRequest,
  response: Response,
  next: NextFunction,
): void {
  const requestTrace =
    activeSpanTrace() ?? traceFromHeaders(request.headers.traceparent, request.headers.tracestate);
  request.kairosTrace = requestTrace;
  response.setHeader('x-trace-id', requestTrace.traceId);
  response.setHeader('traceparent', requestTrace.traceparent);
  next();
}

function activeSpanTrace(): RequestTrace | null {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return null;
  const { traceId, spanId, traceFlags, traceState } = spanContext;
  return {
    traceId,
    spanId,
    traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`,
    tracestate: traceState?.serialize(),
  };
}
