import { type Request } from 'express';
import { type ApiKeyConfig } from '@kairos/config';
import { type RequestTrace } from './trace-context';

/** What our middleware and guards attach to a request. */
export interface KairosRequest extends Request {
  kairosTrace?: RequestTrace;
  /** The authenticated key (null when auth is off). */
  apiKey?: ApiKeyConfig | null;
}
