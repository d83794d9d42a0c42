import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { type Middleware, middlewareChain } from './middleware-chain';

/** A middleware that appends its name to the `x-order` response header. */
function mark(name: string): Middleware {
  return (_request: Request, response: Response, next: NextFunction) => {
    const before = response.getHeader('x-order');
    response.setHeader('x-order', typeof before === 'string' ? `${before},${name}` : name);
    next();
  };
}

function appWith(chain: Middleware): express.Express {
  const app = express();
  app.use(chain);
  app.get('/thing', mark('route'), (_request, response) => {
    response.json({ ok: true });
  });
  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    response.status(418).json({ error: error.message, order: response.getHeader('x-order') });
  });
  return app;
}

describe('middlewareChain', () => {
  it('runs the middlewares in order, then the route', async () => {
    const answer = await request(appWith(middlewareChain([mark('a'), mark('b')]))).get('/thing');

    expect(answer.status).toBe(200);
    expect(answer.headers['x-order']).toBe('a,b,route');
  });

  it('hands an error passed to next to the error handler and skips the rest', async () => {
    const failing: Middleware = (_request, _response, next) => next(new Error('refused'));
    const answer = await request(appWith(middlewareChain([mark('a'), failing, mark('b')]))).get(
      '/thing',
    );

    expect(answer.status).toBe(418);
    expect(answer.body).toEqual({ error: 'refused', order: 'a' });
  });

  it('hands a thrown error to the error handler', async () => {
    const throwing: Middleware = () => {
      throw new Error('thrown');
    };
    const answer = await request(appWith(middlewareChain([throwing, mark('b')]))).get('/thing');

    expect(answer.status).toBe(418);
    expect(answer.body).toEqual({ error: 'thrown' });
  });

  it('continues past middlewares that call next later', async () => {
    const later: Middleware = (_request, _response, next) => {
      setImmediate(() => next());
    };
    const answer = await request(appWith(middlewareChain([later, mark('a')]))).get('/thing');

    expect(answer.headers['x-order']).toBe('a,route');
  });
});
