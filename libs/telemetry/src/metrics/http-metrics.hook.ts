import { matchedRoute } from '@kairos/http';
import { type FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/**
 * RED metrics per route: one histogram gives rate (count), errors (status label) and duration.
 * The route label is the matched pattern (`/v1/items/:itemId`), never the raw path, so user
 * ids cannot blow up the label cardinality. Duration is Fastify's own clock for the request
 * (from its arrival to the response's end).
 */
export function installHttpMetrics(server: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // One child per method, route and status, found by one string key: observing through the
  // parent hashes the three labels on every request.
  const children = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  server.addHook('onResponse', (request, reply, done) => {
    const route = matchedRoute(request) ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (child === undefined) {
      child = duration.labels(request.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1_000);
    done();
  });
}
