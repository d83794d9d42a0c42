import http from 'node:http';

/**
 * Kept-alive connections shared by every request of the bench process. Closed by the process's
 * exit; unref'd sockets never hold it open.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One JSON request over node:http with a keep-alive agent. The freshness benches poll and post
 * from a process that shares the two cores with the pipeline they measure; with fetch (undici
 * in Node 20) that process took 38-46% of a core at 200 events/s, a quarter of it in fetch itself
 * (bench/recommender/README.md).
 */
export function httpJson(
  url: string,
  options: { readonly method?: string; readonly body?: unknown } = {},
  retried = false,
): Promise<JsonAnswer> {
  const target = new URL(url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        agent,
        headers:
          payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: response.statusCode ?? 0,
              body: text === '' ? null : JSON.parse(text),
            });
          } catch (error) {
            reject(
              new Error(
                `${options.method ?? 'GET'} ${url}: HTTP ${response.statusCode}, not JSON: ${String(error)}`,
              ),
            );
          }
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as it was reused (Node's documented race): the
      // request never reached the server, so sending it again on a new socket is safe.
      if (request.reusedSocket && error.code === 'ECONNRESET' && !retried) {
        httpJson(url, options, true).then(resolve, reject);
      } else {
        reject(error);
      }
    });
    request.end(payload);
  });
}
