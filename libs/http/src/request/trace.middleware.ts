import { type NextFunction, type Response } from 'express';
import { type KairosRequest } from './kairos-request';
import { traceFromHeaders } from './trace-context';

/** Every response carries its trace id (`x-trace-id`, `traceparent`) for correlation. */
export function traceMiddleware(
  request: KairosRequest,
  response: Response,
  next: NextFunction,
): void {
  const trace = traceFromHeaders(request.headers.traceparent, request.headers.tracestate);
  request.kairosTrace = trace;
  response.setHeader('x-trace-id', trace.traceId);
  response.setHeader('traceparent', trace.traceparent);
  next();
}
