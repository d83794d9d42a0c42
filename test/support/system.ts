import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppName, loadConfig, type ServiceName } from '@kairos/config';
import { type TopicName } from '@kairos/contracts';
import { createKafka, InProcessLog, physicalTopic } from '@kairos/messaging';
import { createKairosApp, startKairosApp, type AppDefinition } from '@kairos/platform';
import { embeddedApp } from '../../apps/embedded/src/embedded.app';
import { featureApp } from '../../apps/feature/src/feature.app';
import { ingestApp } from '../../apps/ingest/src/ingest.app';
import { recommenderApp } from '../../apps/recommender/src/recommender.app';
import { type AppProcess, startAppProcess } from './app-process';
import {
  describeWithInfra,
  eventually,
  type InfraNeed,
  requireEnv,
  uniqueTestPrefix,
} from './infra';
import { type RawRecord, readTopic, type TopicRecord } from './topic-reader';

export type Mode = 'embedded' | 'distributed';
export const MODES: readonly Mode[] = ['embedded', 'distributed'];

const DEFINITIONS: Readonly<Record<ServiceName, AppDefinition>> = {
  ingest: ingestApp,
  feature: featureApp,
  recommender: recommenderApp,
};

/**
 * The same behavioural suite against both adapters: embedded (in-process log, memory stores, no
 * infrastructure needed) and distributed (the real broker and MongoDB-protocol server; skipped
 * loudly without them, failed with REQUIRE_INFRA=1).
 */
export function describeEachMode(
  name: string,
  body: (mode: Mode) => void,
  needs: readonly InfraNeed[] = ['kafka', 'mongo'],
): void {
  describe(`${name} [embedded]`, () => body('embedded'));
  describeWithInfra(`${name} [distributed]`, needs, () => body('distributed'));
}

/** A running Kairos: the three apps, or the one embedded process, reached the same way. */
export interface System {
  readonly mode: Mode;
  /** Base URL of the routes of `app` (one URL for all in embedded mode). */
  url(app: ServiceName): string;
  /** The `app` label on this app's metrics. */
  metricsApp(app: ServiceName): AppName;
  /** Records of a topic as they reached the event log (read without our transport). */
  readTopic(
    topic: TopicName,
    done: (records: readonly TopicRecord[]) => boolean,
  ): Promise<TopicRecord[]>;
  /** Writes records straight to the log, bypassing ingest (poison pills from another producer). */
  writeRaw(topic: TopicName, records: readonly RawRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Per-test isolation: a topic prefix and database (distributed) or a data directory (embedded). */
function isolation(
  mode: Mode,
  label: string,
): { env: Record<string, string>; cleanup: () => void } {
  if (mode === 'embedded') {
    const dataDir = mkdtempSync(join(tmpdir(), `kairos-${label}-`));
    return {
      // No snapshot (and so no trimming of the log) while a test reads records back.
      env: {
        KAIROS_DATA_DIR: dataDir,
        KAIROS_DEMO_CATALOG: 'none',
        KAIROS_SNAPSHOT_INTERVAL_MS: '3600000',
      },
      cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const prefix = uniqueTestPrefix(label);
  const mongo = new URL(requireEnv('MONGODB_URI'));
  mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
  return {
    env: {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: mongo.toString(),
      KAFKA_TOPIC_PREFIX: prefix,
    },
    cleanup: () => undefined,
  };
}

/**
 * Boots the system inside the test process, the way main.ts does: in distributed mode the
 * services named (each with its own HTTP server), in embedded mode the one composed app.
 */
export async function bootSystem(
  mode: Mode,
  services: readonly ServiceName[],
  label: string,
  env: Record<string, string>,
): Promise<System> {
  const isolated = isolation(mode, label);
  const base = { LOG_LEVEL: 'warn', PORT: '0', ...isolated.env, ...env };
  const boot = async (definition: AppDefinition) => {
    const config = loadConfig(definition.name, base);
    const app = await createKairosApp(definition, config);
    await startKairosApp(app, 0, '127.0.0.1');
    return { app, config, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  };
  if (mode === 'embedded') {
    const { app, url } = await boot(embeddedApp);
    const log = app.get(InProcessLog);
    return {
      mode,
      url: () => url,
      metricsApp: () => 'embedded',
      readTopic: (topic, done) => readInProcessTopic(log, topic, done),
      writeRaw: (topic, records) => {
        log.append(
          topic,
          records.map((record) => ({
            key: record.key,
            value: record.value === null ? null : Buffer.from(record.value),
            headers: record.headers ?? {},
          })),
        );
        return Promise.resolve();
      },
      close: async () => {
        await app.close();
        isolated.cleanup();
      },
    };
  }
  const running = new Map<ServiceName, Awaited<ReturnType<typeof boot>>>();
  for (const service of services) running.set(service, await boot(DEFINITIONS[service]));
  const any = [...running.values()][0]!;
  const at = (service: ServiceName) => {
    const found = running.get(service);
    if (found === undefined) throw new Error(`${service} was not booted`);
    return found;
  };
  return {
    mode,
    url: (service) => at(service).url,
    metricsApp: (service) => service,
    readTopic: (topic, done) =>
      readTopic(any.config.kafka, physicalTopic(any.config.kafka.topicPrefix, topic), done),
    writeRaw: async (topic, records) => {
      // A plain kafkajs producer with its default partitioner: not our publisher.
      const producer = createKafka(any.config.kafka, 'test-raw-writer').producer();
      await producer.connect();
      try {
        await producer.send({
          topic: physicalTopic(any.config.kafka.topicPrefix, topic),
          messages: records.map((record) => ({ ...record })),
        });
      } finally {
        await producer.disconnect();
      }
    },
    close: async () => {
      for (const { app } of running.values()) await app.close();
    },
  };
}

async function readInProcessTopic(
  log: InProcessLog,
  topic: TopicName,
  done: (records: readonly TopicRecord[]) => boolean,
): Promise<TopicRecord[]> {
  const read = (): TopicRecord[] =>
    Array.from({ length: log.partitionsPerTopic }, (_, partition) =>
      log.read(topic, partition, 0, Number.MAX_SAFE_INTEGER).map((record) => ({
        partition,
        offset: String(record.offset),
        key: record.key,
        value: record.value?.toString() ?? null,
        headers: { ...record.headers },
      })),
    ).flat();
  return eventually(
    () => {
      const records = read();
      return done(records) ? records : undefined;
    },
    { timeoutMs: 30_000, what: `records on ${topic}` },
  ).catch(() => read());
}

/** The system as separate processes from dist/ (as deployed): three apps, or one embedded. */
export interface SystemProcesses extends Omit<System, 'readTopic' | 'writeRaw'> {
  readonly processes: readonly AppProcess[];
  /** Environment the processes run with (an embedded restart reuses the data directory). */
  readonly env: Record<string, string>;
}

/** `ports`: three consecutive ports from `firstPort` in distributed mode, one in embedded. */
export async function startSystemProcesses(
  mode: Mode,
  label: string,
  env: Record<string, string>,
  firstPort: number,
): Promise<SystemProcesses> {
  const isolated = isolation(mode, label);
  const fullEnv = { ...isolated.env, ...env };
  if (mode === 'embedded') {
    const process = await startAppProcess('embedded', fullEnv, firstPort);
    return {
      mode,
      env: fullEnv,
      processes: [process],
      url: () => process.baseUrl,
      metricsApp: () => 'embedded',
      close: async () => {
        try {
          await process.stop();
        } finally {
          isolated.cleanup();
        }
      },
    };
  }
  const services: ServiceName[] = ['ingest', 'feature', 'recommender'];
  const processes = new Map<ServiceName, AppProcess>();
  for (const [index, service] of services.entries()) {
    processes.set(service, await startAppProcess(service, fullEnv, firstPort + index));
  }
  return {
    mode,
    env: fullEnv,
    processes: [...processes.values()],
    url: (service) => processes.get(service)!.baseUrl,
    metricsApp: (service) => service,
    close: async () => {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    },
  };
}
