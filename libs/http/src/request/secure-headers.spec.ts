import http from 'node:http';
import { type AddressInfo } from 'node:net';
import fastify from 'fastify';
import helmet from 'helmet';
import { installSecureHeaders, secureHeaders } from './secure-headers';

/** The headers helmet itself puts on a response of a bare node server. */
async function helmetHeaders(): Promise<Record<string, unknown>> {
  const middleware = helmet();
  const server = http.createServer((request, response) =>
    middleware(request, response, () => response.end('{}')),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/thing`);
    return policyHeaders(Object.fromEntries(answer.headers));
  } finally {
    server.close();
  }
}

/** Headers that describe the response itself rather than a policy are left out. */
function policyHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const framing = new Set(['date', 'etag', 'connection', 'keep-alive', 'content-length']);
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !framing.has(name) && name !== 'content-type' && name !== 'transfer-encoding',
    ),
  );
}

describe('secureHeaders', () => {
  it('answers with exactly the headers helmet sets, and no X-Powered-By', async () => {
    const server = fastify();
    installSecureHeaders(server);
    server.get('/thing', () => ({ ok: true }));
    const replayed = await server.inject({ method: 'GET', url: '/thing' });

    expect(policyHeaders(replayed.headers)).toEqual(await helmetHeaders());
    expect(replayed.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(replayed.headers['x-powered-by']).toBeUndefined();
  });

  it('follows helmet options', () => {
    const headers = secureHeaders({
      frameguard: { action: 'deny' },
      strictTransportSecurity: false,
    });

    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain(
      'strict-transport-security',
    );
  });

  it('refuses options whose headers depend on the request', () => {
    expect(() =>
      secureHeaders({
        contentSecurityPolicy: {
          directives: { scriptSrc: [() => `'nonce-${Math.random()}'`] },
        },
      }),
    ).toThrow(/per-request function/);
  });
});
