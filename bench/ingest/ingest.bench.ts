/**
 * bench/ingest: HTTP ingest throughput and latency against the raw kafkajs producer ceiling,
 * measured in the same run on the same broker (scripts/infra). Prints a table and JSON; never
 * passes or fails on timing.
 *
 *   npm run bench:ingest -- [--runs 3] [--seconds 8] [--connections 32] [--batch 500]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CompressionTypes } from 'kafkajs';
import { loadConfig } from '@kairos/config';
import { v7 as uuidv7 } from 'uuid';
import { createKafka, JavaCompatiblePartitioner, registerLz4Codec } from '@kairos/messaging';
import { infraEnv } from '../support/infra-env';
import { pacedLoad } from '../support/paced-load';
import { machineDescription, summarizeRuns } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    batch: { type: 'string', default: '500' },
    rate: { type: 'string', default: '1000' },
    port: { type: 'string', default: '3901' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const BATCH = Number(args.batch);
const RATE = Number(args.rate);
const PORT = Number(args.port);
const PREFIX = `bench-${Date.now().toString(36)}.`;
const root = resolve(__dirname, '../..');

let sequence = 0;
/** The client event shape frontends send (about 150 bytes). */
function clientEvent(): Record<string, unknown> {
  sequence += 1;
  return {
    userId: `user-${sequence % 10_000}`,
    itemId: `sku-${sequence % 5_000}`,
    type: 'click',
    context: { page: 'home' },
  };
}

/** What ingest writes for that event, with the same headers, so the raw producer moves the same bytes. */
function recordFor(event: Record<string, unknown>): {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
} {
  const now = Date.now();
  const eventId = uuidv7();
  return {
    key: String(event.userId),
    value: Buffer.from(JSON.stringify({ eventId, ...event, timestamp: now, receivedAt: now })),
    headers: {
      'kairos-event-id': eventId,
      'kairos-schema-version': '1',
      'content-type': 'application/json',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
  };
}

async function rawProducerCeiling(brokers: string): Promise<number> {
  registerLz4Codec();
  // The client ingest itself builds (same sockets, retries, timeouts), driven directly.
  const { kafka: kafkaConfig } = loadConfig('ingest', {
    KAFKA_BROKERS: brokers,
    KAIROS_AUTH: 'off',
    LOG_LEVEL: 'error',
  });
  const kafka = createKafka(kafkaConfig, 'bench-raw');
  const producer = kafka.producer({
    createPartitioner: JavaCompatiblePartitioner,
    idempotent: true,
    maxInFlightRequests: 5,
  });
  await producer.connect();
  let sent = 0;
  const deadline = performance.now() + SECONDS * 1_000;
  const started = performance.now();
  // Same concurrency as the HTTP batch run: one outstanding batch per connection.
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const messages = Array.from({ length: BATCH }, () => recordFor(clientEvent()));
        await producer.send({
          topic: `${PREFIX}events`,
          acks: -1,
          compression: CompressionTypes.LZ4,
          messages,
        });
        sent += messages.length;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1_000;
  await producer.disconnect();
  return sent / elapsed;
}

interface HttpResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function http(
  path: string,
  body: () => string,
  options: { connections: number },
): Promise<HttpResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: options.connections,
    duration: SECONDS,
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

async function startIngest(brokers: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps/ingest/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: PREFIX,
      KAIROS_AUTH: 'off',
      LOG_LEVEL: 'warn',
      PORT: String(PORT),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${PORT}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('ingest did not become ready within 60 s');
}

async function main(): Promise<void> {
  const { KAFKA_BROKERS } = infraEnv();
  console.log(
    `bench/ingest on ${machineDescription()}; ${RUNS} runs x ${SECONDS} s, ${CONNECTIONS} connections, batches of ${BATCH}`,
  );
  const ingest = await startIngest(KAFKA_BROKERS);
  const runs: Array<Record<string, number>> = [];
  try {
    // Warm-up: JIT, producer connection, topic metadata.
    await http('/v1/events', () => JSON.stringify(clientEvent()), { connections: 8 });
    for (let run = 1; run <= RUNS; run++) {
      process.stdout.write(`run ${run}/${RUNS}: raw producer...`);
      const raw = await rawProducerCeiling(KAFKA_BROKERS);
      process.stdout.write(' batch POST...');
      const batch = await http(
        '/v1/events/batch',
        () => JSON.stringify({ events: Array.from({ length: BATCH }, clientEvent) }),
        {
          connections: CONNECTIONS,
        },
      );
      process.stdout.write(' single POST...');
      const single = await http('/v1/events', () => JSON.stringify(clientEvent()), {
        connections: CONNECTIONS,
      });
      process.stdout.write(` single POST at ${RATE}/s...`);
      const paced = await pacedLoad({
        url: `http://127.0.0.1:${PORT}/v1/events`,
        body: () => JSON.stringify(clientEvent()),
        ratePerSecond: RATE,
        seconds: SECONDS,
      });
      console.log(' done');
      runs.push({
        rawEventsPerSecond: raw,
        batchEventsPerSecond: batch.requestsPerSecond * BATCH,
        batchToRawRatio: (batch.requestsPerSecond * BATCH) / raw,
        batchErrors: batch.errors,
        singleRequestsPerSecond: single.requestsPerSecond,
        singleP50Ms: single.p50,
        singleP99Ms: single.p99,
        singleErrors: single.errors,
        pacedRequestsPerSecond: paced.requestsPerSecond,
        pacedP50Ms: paced.p50,
        pacedP99Ms: paced.p99,
        pacedErrors: paced.errors,
      });
    }
  } finally {
    ingest.kill('SIGTERM');
  }
  const summary = summarizeRuns(runs);
  const targets = {
    'batch >= 0.5 x raw': (summary.batchToRawRatio ?? 0) >= 0.5,
    'batch >= 30,000 events/s': (summary.batchEventsPerSecond ?? 0) >= 30_000,
    [`single p99 <= 10 ms at ${RATE}/s`]: (summary.pacedP99Ms ?? Infinity) <= 10,
  };
  console.log('targets (informational, not a pass/fail test):', targets);
  const report = {
    benchmark: 'ingest',
    machine: machineDescription(),
    at: new Date().toISOString(),
    settings: { RUNS, SECONDS, CONNECTIONS, BATCH, RATE },
    runs,
    median: summary,
    targets,
  };
  mkdirSync(resolve(root, 'bench/results'), { recursive: true });
  writeFileSync(resolve(root, 'bench/results/ingest.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
