import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppName, ConfigValidationError, type KairosConfig, loadConfig } from '@kairos/config';
import { KafkaBatchServer } from '@kairos/messaging';

export interface AppDefinition {
  readonly name: AppName;
  readonly module: (config: KairosConfig) => DynamicModule;
  /** Consumer group for the app's @EventPattern handlers; omit for apps that only produce. */
  readonly consumerGroup?: string;
}

/**
 * Builds a Nest application for one Kairos app: the HTTP server and, when the app consumes
 * Kafka, the batch transport. Shared by main.ts files and tests so both boot the same way.
 */
export async function createKairosApp(
  definition: AppDefinition,
  config: KairosConfig,
): Promise<INestApplication> {
  const app = await NestFactory.create(definition.module(config), {
    bufferLogs: false,
    logger: nestLogLevels(config.logLevel),
  });
  app.enableShutdownHooks();
  if (definition.consumerGroup !== undefined) {
    app.connectMicroservice(
      { strategy: new KafkaBatchServer({ kafka: config.kafka, groupId: definition.consumerGroup }) },
      { inheritAppConfig: true },
    );
  }
  return app;
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
  const app = await createKairosApp(definition, config);
  await app.startAllMicroservices();
  await app.listen(config.port);
  logger.log(`${definition.name} listening on http://localhost:${config.port} (health: /health/ready)`);
  return app;
}

function nestLogLevels(level: KairosConfig['logLevel']): Array<'debug' | 'log' | 'warn' | 'error' | 'fatal'> {
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
