import { type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';

/** Paths scraped or probed every few seconds: a span each would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/|metrics|docs)/;

/**
 * What is patched automatically. Deliberately left out:
 * - fs, dns, net: one span per syscall, the largest overhead for the least insight;
 * - Express: it wraps every middleware layer of every request (a fifth of tracing's CPU cost in
 *   the ingest profile at 10% sampling); TraceRouteInterceptor names the server span instead;
 * - kafkajs: its instrumentation injects the context active at `sendBatch` time, which under our
 *   coalescing producer belongs to whichever request flushed the batch, and it starts a new root
 *   trace for every fetched batch. Kafka spans come from our messaging helpers instead
 *   (`publish <topic>`, `process <topic>`, `consume <topic>`), following the same conventions.
 */
export function kairosInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      // Outgoing HTTP only inside a trace (the OTLP exporter's own requests are never traced).
      requireParentforOutgoingSpans: true,
    }),
    new NestInstrumentation(),
    // Background work (sweeper, lag monitor, model polls) outside a trace makes no root spans.
    new MongoDBInstrumentation({ requireParentSpan: true }),
    new MongooseInstrumentation({ requireParentSpan: true }),
  ];
}
