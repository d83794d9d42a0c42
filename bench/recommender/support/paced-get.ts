import http from 'node:http';
import { summarizeLatencies } from './latency';

export interface PacedGetResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/**
 * Open-loop GETs at a fixed rate with evenly spaced arrivals over a rotating set of paths (the
 * GET counterpart of bench/support/paced-load.ts). Latency counts from each request's scheduled
 * start, so a server that falls behind cannot hide its queue (no coordinated omission).
 */
export async function pacedGet(options: {
  readonly baseUrl: string;
  readonly paths: readonly string[];
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxSockets?: number;
}): Promise<PacedGetResult> {
  const target = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const latencies: number[] = [];
  let errors = 0;
  const intervalMs = 1_000 / options.ratePerSecond;
  const total = Math.round(options.ratePerSecond * options.seconds);
  const inFlight: Array<Promise<void>> = [];
  let issued = 0;

  const send = (path: string, scheduledAt: number): Promise<void> =>
    new Promise((resolve) => {
      const request = http.get(
        { host: target.hostname, port: target.port, path, agent },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) errors += 1;
            latencies.push(performance.now() - scheduledAt);
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors += 1;
        resolve();
      });
    });

  const started = performance.now();
  while (issued < total) {
    const now = performance.now();
    while (issued < total && started + issued * intervalMs <= now) {
      const path = options.paths[issued % options.paths.length] ?? '/';
      inFlight.push(send(path, started + issued * intervalMs));
      issued += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1_000;
  agent.destroy();
  const summary = summarizeLatencies(latencies);
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: summary.p50,
    p99: summary.p99,
    errors,
  };
}
