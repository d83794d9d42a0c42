import { type AppName } from '@kairos/config';
import { type Instrumentation } from '@opentelemetry/instrumentation';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { boundedStatement } from './db-statement';

const APPS_USING_MONGODB: ReadonlySet<AppName> = new Set<AppName>(['feature', 'recommender']);

/**
 * What is patched automatically: only the MongoDB driver and mongoose. Deliberately left out:
 * - http and NestJS: they bind every request's emitters and wrap every handler, a fixed cost
 *   per request at any sampling ratio (about 30% more CPU per ingest request); serverSpanTracer
 *   makes the server span instead, after the sampling decision. Outgoing HTTP is not traced;
 * - Fastify: its instrumentation wraps every hook of every request;
 * - fs, dns, net: one span per syscall, the largest overhead for the least insight;
 * - kafkajs: its instrumentation injects the context active at `sendBatch` time, which under our
 *   coalescing producer belongs to whichever request flushed the batch, and it starts a new root
 *   trace for every fetched batch. Kafka spans come from our messaging helpers instead
 *   (`publish <topic>`, `process <topic>`, `consume <topic>`), following the same conventions.
 */
export function kairosInstrumentations(app: AppName): Instrumentation[] {
  // Only the apps that talk to MongoDB get them. An instrumentation hooks `require` for the
  // whole process, and kafkajs requires its request encoders on every produce call: in ingest,
  // resolving those paths again through the hook was ~0.4% of its CPU, for spans it never makes.
  if (!APPS_USING_MONGODB.has(app)) return [];
  return [
    // Background work (sweeper, lag monitor, model polls) outside a trace makes no root spans.
    // Statements show the command's shape, bounded (db-statement.ts); mongoose records none.
    new MongoDBInstrumentation({
      requireParentSpan: true,
      dbStatementSerializer: boundedStatement,
    }),
    new MongooseInstrumentation({ requireParentSpan: true }),
  ];
}
