import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { KairosContextManager } from '../../libs/telemetry/src/tracing/context-manager';

/**
 * For specs of the tracing helpers: registers `provider` globally with what the SDK registers
 * (our AsyncLocalStorage context manager, W3C trace context propagation); returns the undo.
 */
export function installTestTracing(provider: TracerProvider): () => void {
  context.setGlobalContextManager(new KairosContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return () => {
    trace.disable();
    propagation.disable();
    context.disable();
  };
}
