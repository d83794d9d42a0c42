import { type Sampler } from '@opentelemetry/sdk-trace-base';
import { type PooledIdGenerator } from './trace-ids';

/**
 * Whether the OpenTelemetry SDK runs in this process. When it does not, the tracing helpers do
 * nothing but pass trace headers through, so "tracing off" costs no span bookkeeping at all.
 */
let enabled = false;

export function tracingEnabled(): boolean {
  return enabled;
}

export function markTracingEnabled(value: boolean): void {
  enabled = value;
}

/** The sampler and id generator the SDK was started with, for decisions made before a span. */
export interface TraceSampling {
  readonly sampler: Sampler;
  readonly ids: PooledIdGenerator;
}

let sampling: TraceSampling | null = null;

export function useTraceSampling(value: TraceSampling | null): void {
  sampling = value;
}

/** The SDK's sampler and ids; throws when tracing was started without them. */
export function traceSampling(): TraceSampling {
  if (sampling === null) throw new Error('tracing started without useTraceSampling()');
  return sampling;
}
