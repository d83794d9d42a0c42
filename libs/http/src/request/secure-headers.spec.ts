import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { secureHeaders } from './secure-headers';

/** The same route behind helmet itself, or behind the precomputed replay. */
function appWith(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.use(middleware);
  app.get('/thing', (_request, response) => {
    response.json({ ok: true });
  });
  return app;
}

/** Response headers that depend on the run (date) or the body are left out. */
function policyHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== 'date' && name !== 'etag'),
  );
}

describe('secureHeaders', () => {
  it('answers with exactly the headers helmet sets, X-Powered-By removed', async () => {
    const fromHelmet = await request(appWith(helmet())).get('/thing');
    const replayed = await request(appWith(secureHeaders())).get('/thing');

    expect(policyHeaders(replayed.headers)).toEqual(policyHeaders(fromHelmet.headers));
    expect(replayed.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(replayed.headers['x-powered-by']).toBeUndefined();
  });

  it('follows helmet options', async () => {
    const replayed = await request(
      appWith(secureHeaders({ frameguard: { action: 'deny' }, strictTransportSecurity: false })),
    ).get('/thing');

    expect(replayed.headers['x-frame-options']).toBe('DENY');
    expect(replayed.headers['strict-transport-security']).toBeUndefined();
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
