import { type AppName } from './app-name';
import { ConfigValidationError } from './config-validation.error';
import { type Environment, instanceIdOf, logFormatOf, parseEnvironment } from './environment';
import {
  type EnvironmentSchema,
  type OTLP_PROTOCOLS,
  type TRACES_SAMPLERS,
} from './environment.schema';

/** Where spans go: nowhere (tracing off), stdout, or an OTLP collector. */
export type TraceExport =
  | { readonly kind: 'none' }
  | { readonly kind: 'console' }
  | {
      readonly kind: 'otlp';
      /** Base URL; HTTP exporters append `/v1/traces`. */
      readonly endpoint: string;
      readonly protocol: (typeof OTLP_PROTOCOLS)[number];
    };

export interface SpanBatching {
  readonly scheduleDelayMs: number;
  readonly exportTimeoutMs: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

export interface TelemetryConfig {
  readonly serviceName: string;
  readonly instanceId: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly export: TraceExport;
  readonly sampler: (typeof TRACES_SAMPLERS)[number];
  /** Ratio for the `*traceidratio` samplers. */
  readonly samplerRatio: number;
  /** Span export batching (the OTEL_BSP_* variables). */
  readonly batching: SpanBatching;
  readonly logFormat: 'json' | 'text';
}

/**
 * The tracing part of the configuration, read by `@kairos/telemetry/bootstrap` before Nest (and
 * the full `loadConfig`) runs. Same rules as `loadConfig`, which validates these variables again.
 */
export function loadTelemetryConfig(app: AppName, env: Environment = process.env): TelemetryConfig {
  const { parsed, problems } = parseEnvironment(env);
  if (problems.length > 0) throw new ConfigValidationError(app, problems);
  return telemetryConfigOf(app, parsed);
}

export function telemetryConfigOf(app: AppName, parsed: EnvironmentSchema): TelemetryConfig {
  return {
    serviceName: parsed.OTEL_SERVICE_NAME ?? `kairos-${app}`,
    instanceId: instanceIdOf(parsed),
    resourceAttributes: parseResourceAttributes(parsed.OTEL_RESOURCE_ATTRIBUTES ?? ''),
    export: traceExportOf(parsed),
    sampler: parsed.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio: parsed.OTEL_TRACES_SAMPLER_ARG ?? 1,
    batching: {
      scheduleDelayMs: parsed.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
      exportTimeoutMs: parsed.OTEL_BSP_EXPORT_TIMEOUT ?? 30_000,
      maxQueueSize: parsed.OTEL_BSP_MAX_QUEUE_SIZE ?? 8_192,
      maxExportBatchSize: parsed.OTEL_BSP_MAX_EXPORT_BATCH_SIZE ?? 512,
    },
    logFormat: logFormatOf(parsed),
  };
}

function traceExportOf(parsed: EnvironmentSchema): TraceExport {
  if (parsed.OTEL_SDK_DISABLED === 'true') return { kind: 'none' };
  const endpoint = parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  // The spec's default is otlp to localhost; without a configured endpoint that only produces
  // connection errors on a laptop, so tracing stays off until someone points it somewhere.
  const kind = parsed.OTEL_TRACES_EXPORTER ?? (endpoint === undefined ? 'none' : 'otlp');
  switch (kind) {
    case 'none':
      return { kind };
    case 'console':
      return { kind };
    case 'otlp': {
      const protocol = parsed.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      const fallback = protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318';
      return { kind, protocol, endpoint: (endpoint ?? fallback).replace(/\/+$/, '') };
    }
  }
}

function parseResourceAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    attributes[decodeURIComponent(pair.slice(0, separator).trim())] = decodeURIComponent(
      pair.slice(separator + 1).trim(),
    );
  }
  return attributes;
}
