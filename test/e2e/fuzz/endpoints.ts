import fc from 'fast-check';
import { batchBodyDefects, eventBodyDefects, itemBodyDefects } from './body-defects';
import {
  brokenPercentEncoding,
  internalsLookingIds,
  invalidEntityId,
  MONGO_OPERATOR_OBJECTS,
} from './hostile-values';
import { defect, type Defect, type RouteScope } from './request-defects';

export type AppUnderTest = 'ingest' | 'feature' | 'recommender';

/** One route of one app, with a request it would accept and the ways to spoil it. */
export interface Endpoint {
  readonly label: string;
  readonly app: AppUnderTest;
  readonly method: string;
  /** `{id}` marks the segment path defects replace; `id` fills it otherwise. */
  readonly path: string;
  readonly id?: string;
  readonly scope: RouteScope;
  readonly body?: Record<string, unknown>;
  readonly unservedMethods: readonly string[];
  readonly runs: number;
  /** Route-specific defects (bad ids, bodies, query parameters). */
  readonly defects: ReadonlyArray<fc.Arbitrary<Defect>>;
}

/** Replaces the `{id}` segment with an invalid (400) or, where allowed, a hostile valid id. */
function pathDefects(field: string, notFoundIsFine: boolean): fc.Arbitrary<Defect> {
  const replace = (name: string, segment: string) =>
    defect(name, (d) => (d.path = d.path.replace('{id}', segment)));
  const options = [
    invalidEntityId.map((id) => replace(`${field} invalid`, encodeURIComponent(id))),
    brokenPercentEncoding.map((raw) => replace(`${field} broken percent-encoding`, raw)),
  ];
  if (notFoundIsFine) {
    options.push(internalsLookingIds.map((id) => replace(`${field} names internals (404)`, id)));
  }
  return fc.oneof(...options);
}

function queryDefect(name: string, query: string): Defect {
  return defect(name, (d) => (d.query = query));
}

const notAnIntegerFrom1To100 = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.integer().map(String),
    fc.constantFrom('', 'ten', '1.5', '-1', '0', '101', 'NaN', 'Infinity', '1e3', '[]'),
  )
  .filter((k) => {
    const parsed = Number(k);
    return !(Number.isInteger(parsed) && parsed >= 1 && parsed <= 100);
  });

const recommendationQueryDefects: fc.Arbitrary<Defect> = fc.oneof(
  notAnIntegerFrom1To100.map((k) => queryDefect('query: bad k', `k=${encodeURIComponent(k)}`)),
  fc.constant(queryDefect('query: k repeated', 'k=1&k=2')),
  invalidEntityId
    .filter((id) => !id.includes(','))
    .map((id) => queryDefect('query: bad exclude', `exclude=a,${encodeURIComponent(id)}`)),
  fc.constant(
    queryDefect(
      'query: exclude too long',
      `exclude=${Array.from({ length: 501 }, (_, i) => `i${i}`).join(',')}`,
    ),
  ),
  invalidEntityId.map((id) =>
    queryDefect('query: bad category', `category=${encodeURIComponent(id)}`),
  ),
  fc
    .constantFrom(...MONGO_OPERATOR_OBJECTS)
    .map((operator) =>
      queryDefect(
        'query: operator JSON',
        `category=${encodeURIComponent(JSON.stringify(operator))}`,
      ),
    ),
  fc
    .constantFrom(
      '__proto__[admin]=1',
      'constructor=x',
      'category[$ne]=x',
      'k[$gt]=0',
      'limit=5',
      'debug=true',
    )
    .map((query) => queryDefect('query: unknown or nested parameter', query)),
);

/** Every route of the three apps (the security spec checks this list against the router). */
export function fuzzedEndpoints(now: number): Endpoint[] {
  const event = { userId: 'fuzz-user', itemId: 'fuzz-item', type: 'view' };
  const recs = (
    label: string,
    id: string,
    scope: RouteScope,
    runs: number,
    extra: Array<fc.Arbitrary<Defect>>,
    notFound: boolean,
  ): Endpoint => ({
    label,
    app: 'recommender',
    method: 'GET',
    path: label.replace('GET ', '').replace(/\{\w+\}/, '{id}'),
    id,
    scope,
    unservedMethods: ['POST', 'PUT', 'DELETE', 'PATCH'],
    runs,
    defects: [pathDefects(label.includes('{userId}') ? 'userId' : 'itemId', notFound), ...extra],
  });
  return [
    {
      label: 'POST /v1/events',
      app: 'ingest',
      method: 'POST',
      path: '/v1/events',
      scope: 'events:write',
      body: event,
      unservedMethods: ['GET', 'PUT', 'DELETE', 'PATCH'],
      runs: 2_000,
      defects: [eventBodyDefects(now)],
    },
    {
      label: 'POST /v1/events/batch',
      app: 'ingest',
      method: 'POST',
      path: '/v1/events/batch',
      scope: 'events:write',
      body: { events: [event] },
      unservedMethods: ['GET', 'PUT', 'DELETE', 'PATCH'],
      runs: 1_200,
      defects: [batchBodyDefects(now)],
    },
    {
      label: 'PUT /v1/items/{itemId}',
      app: 'ingest',
      method: 'PUT',
      path: '/v1/items/{id}',
      id: 'fuzz-item',
      scope: 'items:write',
      body: { title: 'Fuzz' },
      unservedMethods: ['GET', 'POST', 'PATCH'],
      runs: 1_000,
      defects: [pathDefects('itemId', false), itemBodyDefects],
    },
    {
      label: 'DELETE /v1/items/{itemId}',
      app: 'ingest',
      method: 'DELETE',
      path: '/v1/items/{id}',
      id: 'fuzz-item',
      scope: 'items:write',
      unservedMethods: ['GET', 'POST', 'PATCH'],
      runs: 600,
      defects: [pathDefects('itemId', false)],
    },
    {
      label: 'GET /v1/users/{userId}/session',
      app: 'feature',
      method: 'GET',
      path: '/v1/users/{id}/session',
      id: 'fuzz-seed-user',
      scope: 'recommendations:read',
      unservedMethods: ['POST', 'PUT', 'DELETE', 'PATCH'],
      runs: 1_000,
      defects: [pathDefects('userId', true)],
    },
    recs(
      'GET /v1/recommendations/{userId}',
      'fuzz-seed-user',
      'recommendations:read',
      1_500,
      [recommendationQueryDefects],
      false,
    ),
    recs('GET /v1/items/{itemId}', 'fuzz-seed-item', 'recommendations:read', 600, [], true),
    recs('GET /v1/embeddings/{itemId}', 'fuzz-seed-item', 'admin', 500, [], true),
    {
      label: 'GET /v1/models',
      app: 'recommender',
      method: 'GET',
      path: '/v1/models',
      scope: 'admin',
      unservedMethods: ['POST', 'PUT', 'DELETE', 'PATCH'],
      runs: 300,
      defects: [],
    },
    {
      label: 'POST /v1/models/{name}/{version}/activate',
      app: 'recommender',
      method: 'POST',
      path: '/v1/models/kairos-default/1/activate',
      scope: 'admin',
      unservedMethods: ['GET', 'PUT', 'DELETE', 'PATCH'],
      runs: 500,
      defects: [modelSegmentDefects],
    },
    {
      label: 'POST /v1/models/rollback',
      app: 'recommender',
      method: 'POST',
      path: '/v1/models/rollback',
      scope: 'admin',
      unservedMethods: ['GET', 'PUT', 'DELETE', 'PATCH'],
      runs: 300,
      defects: [],
    },
    ...(['ingest', 'feature', 'recommender'] as const).flatMap((app) =>
      ['/health/live', '/health/ready', '/metrics'].map((path): Endpoint => ({
        label: `GET ${path}`,
        app,
        method: 'GET',
        path,
        scope: 'public',
        unservedMethods: ['POST', 'PUT', 'DELETE', 'PATCH'],
        runs: 60,
        defects: [],
      })),
    ),
  ];
}

/** Model names and versions outside [A-Za-z0-9._-]{1,128}, in either segment. */
const modelSegmentDefects: fc.Arbitrary<Defect> = fc
  .tuple(invalidEntityId, fc.boolean())
  .map(([segment, inName]) =>
    defect(`model ${inName ? 'name' : 'version'} invalid`, (d) => {
      const encoded = encodeURIComponent(segment);
      d.path = inName
        ? `/v1/models/${encoded}/1/activate`
        : `/v1/models/kairos-default/${encoded}/activate`;
    }),
  );
