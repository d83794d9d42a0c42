import http from 'node:http';
import { median } from './stats';

export interface PacedResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/**
 * Open-loop load at a fixed rate with evenly spaced arrivals (autocannon's overallRate sends in
 * bursts, which measures its own burstiness). Latency is taken from each request's scheduled
 * start, so a stalled server cannot hide its queue (no coordinated omission).
 */
export async function pacedLoad(options: {
  readonly url: string;
  readonly body: () => string;
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxSockets?: number;
}): Promise<PacedResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const latencies: number[] = [];
  let errors = 0;
  const intervalMs = 1_000 / options.ratePerSecond;
  const total = Math.round(options.ratePerSecond * options.seconds);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let issued = 0;

  const send = (scheduledAt: number): Promise<void> =>
    new Promise((resolve) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json' },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === undefined || response.statusCode >= 300) errors += 1;
            latencies.push(performance.now() - scheduledAt);
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors += 1;
        resolve();
      });
      request.end(options.body());
    });

  while (issued < total) {
    const now = performance.now();
    while (issued < total && started + issued * intervalMs <= now) {
      inFlight.push(send(started + issued * intervalMs));
      issued += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1_000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: median(sorted),
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN,
    errors,
  };
}
