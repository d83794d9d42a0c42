import 'reflect-metadata';
import {
  type Abstract,
  type DynamicModule,
  type INestApplication,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AppName,
  ConfigModule,
  ConfigValidationError,
  type KairosConfig,
  loadConfig,
} from '@kairos/config';
import { HealthModule, type ReadinessCheck } from '@kairos/health';
import { configureHttpApp, createHttpAdapter, KairosHttpModule } from '@kairos/http';
import { type TopicName } from '@kairos/contracts';
import {
  ConsumerAssignments,
  InProcessBatchServer,
  InProcessLog,
  KafkaBatchServer,
  MessagingModule,
} from '@kairos/messaging';
import {
  installHttpMetrics,
  METRICS_REGISTRY,
  MetricsModule,
  serverSpanTracer,
  tracingEnabled,
} from '@kairos/telemetry';
import { shutdownTelemetry } from '@kairos/telemetry/bootstrap';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Registry } from 'prom-client';
import { JsonLogger } from './logging/json.logger';
import { setupOpenApi } from './openapi';
import { applyHeapGrowth } from './heap-growth';
import { armShutdownDeadline } from './shutdown-deadline';

export interface AppDefinition {
  readonly name: AppName;
  /** One-line description for the OpenAPI document. */
  readonly description: string;
  /** The app's own root module; config, HTTP policies and metrics are added around it. */
  readonly module: Type<unknown>;
  /** Consumer group for all the app's @EventPattern handlers; omit for apps that only produce. */
  readonly consumerGroup?: string;
  /** Several groups in one process (the embedded app): each consumes its handlers' topics. */
  readonly consumers?: readonly ConsumerBinding[];
  /**
   * Modules providing the app's repository ports for the mode (MongoDB or memory adapters);
   * registered globally so the app's own module injects the ports without importing them.
   */
  readonly storage?: (config: KairosConfig) => readonly DynamicModule[];
  /**
   * The app's handlers take their trace from the request (`requestTrace`) and pass it on, so
   * requests need not run in the server span's context: ingest, whose handlers only validate
   * and publish. An app that reads MongoDB or runs inference while serving leaves it unset, so
   * instrumentations and nested spans find the request's span.
   */
  readonly handlersTakeRequestTrace?: boolean;
  /** Readiness checks behind /health/ready: port tokens resolve to the mode's adapters. */
  readonly readiness?: ReadonlyArray<Type<ReadinessCheck> | Abstract<ReadinessCheck>>;
}

export interface ConsumerBinding {
  readonly groupId: string;
  readonly topics: readonly TopicName[];
}

/**
 * Builds a Nest application for one Kairos app: the HTTP server and, when the app consumes
 * Kafka, the batch transport. Shared by main.ts files and tests so both boot the same way.
 */
export async function createKairosApp(
  definition: AppDefinition,
  config: KairosConfig,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(definition, config),
    createHttpAdapter(),
    {
      // configureHttpApp installs the JSON parser with our limits and error mapping.
      bodyParser: false,
      logger:
        config.logFormat === 'json'
          ? new JsonLogger(config.app, nestLogLevels(config.logLevel))
          : nestLogLevels(config.logLevel),
    },
  );
  app.enableShutdownHooks();
  configureHttpApp(
    app,
    config,
    tracingEnabled()
      ? serverSpanTracer({ enterContext: definition.handlersTakeRequestTrace !== true })
      : null,
  );
  installHttpMetrics(app.getHttpAdapter().getInstance(), app.get<Registry>(METRICS_REGISTRY));
  setupOpenApi(app, definition);
  const bindings: ReadonlyArray<{ groupId: string; topics?: readonly TopicName[] }> =
    definition.consumers ??
    (definition.consumerGroup === undefined ? [] : [{ groupId: definition.consumerGroup }]);
  for (const binding of bindings) {
    const strategy =
      config.mode === 'embedded'
        ? new InProcessBatchServer({ log: app.get(InProcessLog), ...binding })
        : new KafkaBatchServer({
            kafka: config.kafka,
            assignments: app.get(ConsumerAssignments),
            ...binding,
          });
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  return app;
}

/**
 * Boot order matters: init runs the bootstrap hooks (topics created, indexes built) before the
 * consumers subscribe, and HTTP listens last, so readiness is only reachable when all is set.
 */
export async function startKairosApp(
  app: INestApplication,
  port: number,
  host?: string,
): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
  await (host === undefined ? app.listen(port) : app.listen(port, host));
}

@Module({})
class KairosAppRoot {}

/** Spans still queued for export leave with the app, not with the process. */
@Injectable()
class TelemetryFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTelemetry();
  }
}

/** What every app shares (config, auth/validation/errors, metrics) around its own module. */
function rootModule(definition: AppDefinition, config: KairosConfig): DynamicModule {
  return {
    module: KairosAppRoot,
    imports: [
      ConfigModule.forRoot(config),
      KairosHttpModule,
      MetricsModule.forRoot(config.app),
      MessagingModule.forRoot(config),
      ...(definition.storage?.(config) ?? []),
      HealthModule.forRoot(definition.readiness ?? []),
      definition.module,
    ],
    providers: [TelemetryFlush],
  };
}

/** Entry point of a deployable: validate config (exit 1 naming the variable), boot, listen. */
export async function runKairosApp(definition: AppDefinition): Promise<INestApplication> {
  const logger = new Logger(definition.name);
  let config: KairosConfig;
  try {
    config = loadConfig(definition.name);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      logger.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  applyHeapGrowth(config.heapGrowthPercent);
  // Armed before boot: a stop requested while connecting is bounded too.
  armShutdownDeadline({
    timeoutMs: config.shutdownTimeoutMs,
    report: (message) => logger.error(message),
  });
  let app: INestApplication;
  try {
    app = await createKairosApp(definition, config);
    await startKairosApp(app, config.port);
  } catch (error) {
    // e.g. the embedded data directory is locked by another process: say why, exit non-zero.
    logger.error(
      `${definition.name} could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  logger.log(
    `${definition.name} listening on http://localhost:${config.port} ` +
      `(docs: /docs, health: /health/ready, metrics: /metrics)`,
  );
  return app;
}

function nestLogLevels(
  level: KairosConfig['logLevel'],
): Array<'debug' | 'log' | 'warn' | 'error' | 'fatal'> {
  switch (level) {
    case 'debug':
      return ['debug', 'log', 'warn', 'error', 'fatal'];
    case 'info':
      return ['log', 'warn', 'error', 'fatal'];
    case 'warn':
      return ['warn', 'error', 'fatal'];
    case 'error':
      return ['error', 'fatal'];
  }
}
