import { type INestApplication } from '@nestjs/common';

export interface RouteEntry {
  readonly method: string;
  /** Route path with `:param` placeholders, e.g. `/v1/items/:itemId`. */
  readonly path: string;
}

/**
 * Every route the app's HTTP server actually serves, read from the Fastify router behind Nest's
 * HttpAdapter after init: controllers, and anything else mounted as a route (OpenAPI docs).
 * Fastify prints its routes as a tree (`printRoutes`), one path segment per line under its
 * parent; the HEAD route it adds beside every GET is left out, as Express's table did.
 */
export function servedRoutes(app: INestApplication): RouteEntry[] {
  const instance = app.getHttpAdapter().getInstance() as {
    printRoutes?: (options: { commonPrefix: boolean }) => string;
  };
  if (instance.printRoutes === undefined) throw new Error('no Fastify router behind the adapter');
  const routes = new Map<string, RouteEntry>();
  const pathAtDepth: string[] = [];
  for (const line of instance.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^(.*?)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (node === null) continue;
    const depth = [...(node[1] ?? '')].length / 4;
    const path = `${depth === 0 ? '' : pathAtDepth[depth - 1]}${node[2] ?? ''}`;
    pathAtDepth[depth] = path;
    pathAtDepth.length = depth + 1;
    const methods = (node[3] ?? '').split(', ').filter((method) => method !== '');
    for (const method of methods) {
      if (method === 'HEAD' && methods.includes('GET')) continue;
      const entry = { method, path };
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
