import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { API_SCOPES, type ApiScope, type AppName, loadConfig } from '@kairos/config';
import { type AppDefinition, createKairosApp, startKairosApp } from '@kairos/platform';
import { type RunningApp } from '../../support/boot';
import { embeddedApp } from '../../../apps/embedded/src/embedded.app';
import { featureApp } from '../../../apps/feature/src/feature.app';
import { ingestApp } from '../../../apps/ingest/src/ingest.app';
import { recommenderApp } from '../../../apps/recommender/src/recommender.app';
import { requireEnv } from '../../support/infra';

export type ServiceApp = Exclude<AppName, 'embedded'>;

/** The three deployables of distributed mode. */
export const SERVICE_APPS: ReadonlyArray<readonly [ServiceApp, AppDefinition]> = [
  ['ingest', ingestApp],
  ['feature', featureApp],
  ['recommender', recommenderApp],
];

/** Every app with an HTTP server: the three services and the one-process embedded app. */
export const ALL_APPS: ReadonlyArray<readonly [AppName, AppDefinition]> = [
  ...SERVICE_APPS,
  ['embedded', embeddedApp],
];

/** One key per scope, each holding only that scope (admin keys pass every scope check). */
export const SCOPE_KEYS: Readonly<Record<ApiScope, string>> = {
  'events:write': 'sec-events-write-0123456789',
  'items:write': 'sec-items-write-0123456789',
  'recommendations:read': 'sec-recs-read-0123456789',
  admin: 'sec-admin-key-0123456789',
};

export function scopeKeysEnv(extra: readonly string[] = []): string {
  return [
    ...API_SCOPES.map((scope) => `${scope.replace(':', '-')}|${SCOPE_KEYS[scope]}|${scope}`),
    ...extra,
  ].join(';');
}

/**
 * Environment for an app under test: real services and a database of its own (distributed), or
 * a fresh data directory (embedded), and the scope keys.
 */
export function securityEnv(
  prefix: string,
  extra: Record<string, string> = {},
  app: AppName = 'ingest',
): Record<string, string> {
  const mongo = new URL(requireEnv('MONGODB_URI'));
  mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
  const embedded = {
    KAIROS_DATA_DIR: mkdtempSync(join(tmpdir(), 'kairos-security-')),
    KAIROS_DEMO_CATALOG: 'none',
  };
  return {
    ...(app === 'embedded' ? embedded : {}),
    MONGODB_URI: mongo.toString(),
    KAFKA_TOPIC_PREFIX: prefix,
    KAIROS_API_KEYS: scopeKeysEnv(),
    MODEL_DIR: resolve(__dirname, '../../../models'),
    ...extra,
  };
}

export type DocumentedScope = ApiScope | 'public';

/**
 * The route table of docs/security.md (`| app | \`METHOD /path\` | scope |`), the one place the
 * intended scope of every route is written down; `all` rows apply to every app (and every row to
 * the embedded app, which composes the three), and a path
 * ending in `*` covers every route under it (the OpenAPI UI's assets).
 */
export function documentedRoutes(app: AppName): Map<string, DocumentedScope> {
  const text = readFileSync(resolve(__dirname, '../../../docs/security.md'), 'utf8');
  const routes = new Map<string, DocumentedScope>();
  const row =
    /^\|\s*(ingest|feature|recommender|all)\s*\|\s*`([A-Z]+ \S+)`\s*\|\s*`?([a-z:]+)`?\s*\|/;
  for (const line of text.split('\n')) {
    const match = row.exec(line);
    // The embedded app serves the routes of all three.
    if (match === null || (match[1] !== app && match[1] !== 'all' && app !== 'embedded')) continue;
    routes.set(match[2] ?? '', (match[3] ?? '') as DocumentedScope);
  }
  return routes;
}

/** The documented entry a served route falls under: its own row, or a `*` row covering it. */
export function documentedEntry(
  documented: ReadonlyMap<string, DocumentedScope>,
  route: string,
): string | undefined {
  if (documented.has(route)) return route;
  return [...documented.keys()].find(
    (entry) => entry.endsWith('*') && route.startsWith(entry.slice(0, -1)),
  );
}

/**
 * bootApp, but closing a half-started app and retrying when the broker has not yet propagated the
 * metadata of topics just created (UNKNOWN_TOPIC_OR_PARTITION while waiting for leaders, seen on a
 * busy shared broker); any other failure is thrown at once.
 */
export async function bootSecurityApp(
  definition: AppDefinition,
  env: Record<string, string>,
): Promise<RunningApp> {
  const config = loadConfig(definition.name, {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...env,
  });
  for (let attempt = 1; ; attempt++) {
    const app = await createKairosApp(definition, config);
    try {
      await startKairosApp(app, 0, '127.0.0.1');
      const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      return { app, baseUrl, config, close: () => app.close() };
    } catch (error) {
      await app.close().catch(() => undefined);
      const transient =
        error instanceof Error && /does not host this topic-partition/.test(error.message);
      if (!transient || attempt === 3) throw error;
    }
  }
}
