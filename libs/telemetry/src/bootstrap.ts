/**
 * `@kairos/telemetry/bootstrap`: the first import of every main.ts. It starts the OpenTelemetry
 * SDK before Nest, express, mongodb and the rest are required, so auto-instrumentation can patch
 * them as they load. It imports nothing that would load those modules early.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AppName, ConfigValidationError, loadTelemetryConfig } from '@kairos/config';
import {
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  CompositePropagator,
} from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { KairosContextManager } from './tracing/context-manager';
import { kairosInstrumentations } from './tracing/instrumentations';
import { samplerFor } from './tracing/sampler';
import { SpanBatcher } from './tracing/span-batcher';
import { spanExporterFor } from './tracing/span-exporter';
import { PooledIdGenerator } from './tracing/trace-ids';
import { markTracingEnabled, useTraceSampling } from './tracing/tracing-state';

/** `service.instance.id` (still incubating in semantic-conventions, hence spelled out). */
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

let sdk: NodeSDK | null = null;

/**
 * Starts tracing for `app` as OTEL_* configure it; with no exporter it starts nothing and the
 * tracing helpers only pass trace headers through. Exits naming the variable when one is invalid.
 */
export function startTelemetry(app: AppName): {
  readonly serviceName: string;
  readonly tracing: boolean;
} {
  let config;
  try {
    config = loadTelemetryConfig(app);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const exporter = spanExporterFor(config.export);
  if (exporter === null) return { serviceName: config.serviceName, tracing: false };
  // Shared with the server spans, which sample a request before asking the SDK for a span.
  const sampling = { sampler: samplerFor(config), ids: new PooledIdGenerator() };
  sdk = new NodeSDK({
    autoDetectResources: false,
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: packageVersion(),
      [ATTR_SERVICE_INSTANCE_ID]: config.instanceId,
      'kairos.app': app,
    }),
    sampler: sampling.sampler,
    idGenerator: sampling.ids,
    contextManager: new KairosContextManager(),
    // Batched export off the hot path, entering no context (see SpanBatcher); spans of
    // unsampled traces never reach it.
    spanProcessors: [new SpanBatcher(exporter, config.batching)],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: kairosInstrumentations(app),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  useTraceSampling(sampling);
  markTracingEnabled(true);
  return { serviceName: config.serviceName, tracing: true };
}

/** Flushes the spans still queued; called when the app shuts down. */
export async function shutdownTelemetry(): Promise<void> {
  const running = sdk;
  sdk = null;
  markTracingEnabled(false);
  useTraceSampling(null);
  await running?.shutdown();
}

/** The version in the repository's package.json (the apps ship from one package). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'kairos' && typeof manifest.version === 'string')
        return manifest.version;
    } catch {
      // not here: keep walking up
    }
  }
  return 'unknown';
}
