import { type INestApplication } from '@nestjs/common';

export interface RouteEntry {
  readonly method: string;
  /** Express path with `:param` placeholders, e.g. `/v1/items/:itemId`. */
  readonly path: string;
}

interface ExpressLayer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
}

/**
 * Every route the app's HTTP server actually serves, read from the Express router behind Nest's
 * HttpAdapter after init: controllers, and anything else mounted as a route (OpenAPI docs).
 */
export function servedRoutes(app: INestApplication): RouteEntry[] {
  const instance = app.getHttpAdapter().getInstance() as {
    router?: { stack: ExpressLayer[] };
    _router?: { stack: ExpressLayer[] };
  };
  const stack = instance.router?.stack ?? instance._router?.stack;
  if (stack === undefined) throw new Error('no Express router found behind the HttpAdapter');
  const routes = new Map<string, RouteEntry>();
  for (const layer of stack) {
    if (layer.route === undefined || typeof layer.route.path !== 'string') continue;
    for (const [method, served] of Object.entries(layer.route.methods)) {
      if (!served || method === '_all') continue;
      const entry = { method: method.toUpperCase(), path: layer.route.path };
      routes.set(routeKey(entry), entry);
    }
  }
  return [...routes.values()].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

export function routeKey(route: RouteEntry): string {
  return `${route.method} ${route.path}`;
}

/** A concrete URL path for a route: every parameter gets a well-formed value. */
export function concretePath(route: RouteEntry, value = 'sec-probe'): string {
  return route.path.replace(/:\w+/g, value);
}
