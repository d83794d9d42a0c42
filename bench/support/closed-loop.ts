import autocannon from 'autocannon';
import { processCpuSeconds } from './process-cpu';

export interface ClosedLoopResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Server CPU time (user + system) per answered request: steadier than req/s on a busy machine. */
  readonly cpuMicrosPerRequest: number;
}

/**
 * Closed loop: `connections` keep-alive connections, each sending its next GET on reply, for
 * `seconds`, cycling through `paths`; the server process `serverPid`'s CPU time is read around it.
 */
export async function closedLoopGet(options: {
  readonly baseUrl: string;
  readonly paths: readonly string[];
  readonly serverPid: number;
  readonly connections: number;
  readonly seconds: number;
}): Promise<ClosedLoopResult> {
  const { baseUrl, paths, serverPid } = options;
  let next = 0;
  const cpuBefore = processCpuSeconds(serverPid);
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }),
      },
    ],
  });
  const cpuSeconds = processCpuSeconds(serverPid) - cpuBefore;
  const answered = result['2xx'] + result.non2xx;
  return {
    cpuMicrosPerRequest: answered > 0 ? (cpuSeconds * 1e6) / answered : Number.NaN,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
