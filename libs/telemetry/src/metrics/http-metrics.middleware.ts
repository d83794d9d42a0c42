import { type NextFunction, type Request, type Response } from 'express';
import { Histogram, type Registry } from 'prom-client';

/**
 * RED metrics per route: one histogram gives rate (count), errors (status label) and duration.
 * The route label is the matched pattern (`/v1/items/:itemId`), never the raw path, so user
 * ids cannot blow up the label cardinality.
 */
export function httpMetricsMiddleware(
  registry: Registry,
): (request: Request, response: Response, next: NextFunction) => void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = (request.route as { path?: unknown } | undefined)?.path;
      duration.observe(
        {
          method: request.method,
          route: typeof route === 'string' ? `${request.baseUrl}${route}` : 'unmatched',
          status: String(response.statusCode),
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
