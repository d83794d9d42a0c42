import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { inUnsampledTrace, isUnsampledTraceparent } from './active-trace';
import { tracingEnabled } from './tracing-state';

let cached: Tracer | null = null;

export function tracer(): Tracer {
  cached ??= trace.getTracer('kairos');
  return cached;
}

/**
 * Runs `work` in a span named `name` (a child of the active span) and ends it with the outcome.
 * Without tracing, or in an unsampled trace, it only runs `work`. `attributes` may also be set
 * later through the span.
 */
export function withSpan<T>(
  name: string,
  work: (span: Span | null) => Promise<T>,
  options: { attributes?: Attributes; links?: Link[] } = {},
): Promise<T> {
  if (!tracingEnabled() || inUnsampledTrace()) return work(null);
  return tracer().startActiveSpan(name, options, (span) => endSpans([span], () => work(span)));
}

/** A parent named by W3C trace headers, such as a request's `RequestTrace`. */
export interface TraceParent {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * The same for synchronous work (validation), as a child of `parent` when given, else of the
 * active span. The span is not made active: synchronous work makes no spans of its own, and
 * entering a context would switch on AsyncLocalStorage's promise hooks (see server-span.ts).
 */
export function withSpanSync<T>(
  name: string,
  work: (span: Span | null) => T,
  options: { attributes?: Attributes; parent?: TraceParent } = {},
): T {
  if (!tracingEnabled()) return work(null);
  const { parent, attributes } = options;
  if (parent !== undefined && isUnsampledTraceparent(parent.traceparent)) return work(null);
  const parentContext = parent === undefined ? context.active() : localParent(parent);
  if (inUnsampledTrace(parentContext)) return work(null);
  const span = tracer().startSpan(name, { attributes }, parentContext);
  try {
    return work(span);
  } catch (error) {
    recordFailure([span], error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The context of the span `parent` names. It is this process's own span (the request's), so it
 * is not marked remote: backends would take a remote parent for a call from another service.
 */
function localParent(parent: TraceParent): Context {
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, parent));
  return spanContext === undefined
    ? ROOT_CONTEXT
    : trace.setSpanContext(ROOT_CONTEXT, { ...spanContext, isRemote: false });
}

/** Ends `spans` when `work` settles, marking them failed when it rejects. */
export async function endSpans<T>(spans: readonly Span[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    recordFailure(spans, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function recordFailure(spans: readonly Span[], error: unknown): void {
  for (const span of spans) {
    if (!span.isRecording()) continue;
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    if (error instanceof Error) span.recordException(error);
  }
}
