import {
  type Attributes,
  type Link,
  type Span,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { inUnsampledTrace } from './active-trace';
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

/** The same, for synchronous work (validation). */
export function withSpanSync<T>(
  name: string,
  work: (span: Span | null) => T,
  options: { attributes?: Attributes } = {},
): T {
  if (!tracingEnabled() || inUnsampledTrace()) return work(null);
  return tracer().startActiveSpan(name, options, (span) => {
    try {
      return work(span);
    } catch (error) {
      recordFailure([span], error);
      throw error;
    } finally {
      span.end();
    }
  });
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
