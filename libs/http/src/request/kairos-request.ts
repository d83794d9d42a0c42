import { type Request } from 'express';
import { type ApiKeyConfig } from '@kairos/config';
import { type TracedRequest } from './request-tracer';
import { type RequestTrace } from './trace-context';

/** What our middleware and guards attach to a request. */
export interface KairosRequest extends Request {
  kairosTrace?: RequestTrace;
  /** The server span when tracing runs for this request. */
  kairosTracing?: TracedRequest;
  /** The authenticated key (null when auth is off). */
  apiKey?: ApiKeyConfig | null;
}
