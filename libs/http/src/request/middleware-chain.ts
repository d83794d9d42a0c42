import { type NextFunction, type Request, type Response } from 'express';

export type Middleware<R extends Request = Request> = (
  request: R,
  response: Response,
  next: NextFunction,
) => void;

/**
 * Runs middlewares in order as one Express layer. Each `app.use` layer costs a router dispatch
 * per request (path match, params, prefix trimming): for the ~8 policies every request goes
 * through, that was more than the policies themselves on a cached GET (CPU profile of
 * bench/recommender/get). Errors (thrown or passed to `next`) go to Express's error handlers
 * as before; the chain never calls `next` twice.
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
