import { type NextFunction, type Request, type Response } from 'express';

export type Middleware<R extends Request = Request> = (
  request: R,
  response: Response,
  next: NextFunction,
) => void;

/**
 * Runs middlewares in order as one Express layer. Each `app.use` layer costs a router dispatch
 * per request (`next`, path matching, prefix trimming), a visible share of a cached GET in the
 * CPU profile of bench/recommender/get when every policy was its own layer. Errors (thrown or
 * passed to `next`) skip the rest and go to Express's error handlers, as between layers.
 */
export function middlewareChain<R extends Request>(
  middlewares: ReadonlyArray<Middleware<R>>,
): Middleware<R> {
  return (request, response, done) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        index = middlewares.length;
        done(error);
        return;
      }
      const middleware = middlewares[index++];
      if (middleware === undefined) {
        done();
        return;
      }
      try {
        middleware(request, response, step);
      } catch (thrown) {
        step(thrown ?? new Error('a middleware threw a nullish value'));
      }
    };
    step();
  };
}
