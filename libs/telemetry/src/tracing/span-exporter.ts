import { type TraceExport } from '@kairos/config';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The exporter for OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_PROTOCOL; null when off. */
export function spanExporterFor(target: TraceExport): SpanExporter | null {
  switch (target.kind) {
    case 'none':
      return null;
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp':
      switch (target.protocol) {
        case 'grpc':
          return new OtlpGrpcExporter({ url: target.endpoint });
        case 'http/json':
          return new OtlpJsonExporter({ url: `${target.endpoint}/v1/traces` });
        case 'http/protobuf':
          return new OtlpProtobufExporter({ url: `${target.endpoint}/v1/traces` });
      }
  }
}
