import { Agent, request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Already encoded path and query, sent byte for byte (no normalisation, unlike fetch). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A status, or `reset` when the server closed the connection before answering. */
export type RawOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'reset'; readonly error: string };

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * node:http rather than fetch: fetch refuses or rewrites much of what a fuzzer must send (bodies
 * on GET, odd methods, raw percent-encodings, header values with Latin-1 bytes).
 */
export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawOutcome> {
  const url = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body, 'utf8');
  return new Promise((resolve) => {
    /** What the server said wins over an error that came after it (its close met our write). */
    let answered: { status: number; chunks: Buffer[] } | null = null;
    const settle = (error: Error | null): void =>
      resolve(
        answered === null
          ? { kind: 'reset', error: error?.message ?? 'closed' }
          : {
              kind: 'response',
              status: answered.status,
              body: Buffer.concat(answered.chunks).toString('utf8'),
            },
      );
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers: {
          ...raw.headers,
          ...(body === undefined ? {} : { 'content-length': String(body.length) }),
        },
      },
      (response) => {
        answered = { status: response.statusCode ?? 0, chunks: [] };
        const { chunks } = answered;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => settle(null));
        response.on('error', settle);
      },
    );
    outgoing.on('error', settle);
    outgoing.end(body);
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}
