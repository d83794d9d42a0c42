import { API_SCOPES, type ApiScope } from '@kairos/config';
import { type RunningApp } from '../../support/boot';
import { describeWithInfra, uniqueTestPrefix } from '../../support/infra';
import { concretePath, routeKey, servedRoutes } from './route-table';
import {
  ALL_APPS,
  documentedEntry,
  documentedRoutes,
  SCOPE_KEYS,
  securityEnv,
  bootSecurityApp,
} from './security-apps';

/**
 * The route table of each app, read from its router (not a list kept here), against the table in
 * docs/security.md: every route is documented; public ones (health, metrics, docs) answer
 * without a key; every other one answers 401 without a key, 403 to a key lacking its scope, and
 * lets through exactly its documented scope and `admin`.
 */
describeWithInfra('API keys and scopes on every route', ['kafka', 'mongo'], () => {
  jest.setTimeout(180_000);
  const prefix = uniqueTestPrefix('security-routes');

  describe.each(ALL_APPS)('%s', (name, definition) => {
    let running: RunningApp;

    beforeAll(async () => {
      running = await bootSecurityApp(definition, securityEnv(prefix, {}, name));
    });

    afterAll(async () => {
      await running?.close();
    });

    const call = (method: string, path: string, key: string | null) =>
      fetch(`${running.baseUrl}${path}`, {
        method,
        headers: key === null ? {} : { authorization: `Bearer ${key}` },
      });

    it('documents every route it serves in docs/security.md, and serves every documented one', () => {
      const served = servedRoutes(running.app).map(routeKey);
      const documented = documentedRoutes(name);
      expect(served.length).toBeGreaterThan(3);
      const covered = served.map((route) => documentedEntry(documented, route));
      expect(served.filter((_route, index) => covered[index] === undefined)).toEqual([]);
      expect([...documented.keys()].filter((entry) => !covered.includes(entry))).toEqual([]);
    });

    it('answers 401 without a key, 403 for a key lacking the scope, and passes the documented scope', async () => {
      const documented = documentedRoutes(name);
      const effective: Record<string, string> = {};
      for (const route of servedRoutes(running.app)) {
        const entry = documentedEntry(documented, routeKey(route));
        const scope = entry === undefined ? undefined : documented.get(entry);
        const path = concretePath(route);
        const anonymous = await call(route.method, path, null);
        if (scope === 'public') {
          const answer = anonymous.status === 401 ? 'asked for a key' : 'answered';
          expect([routeKey(route), answer]).toEqual([routeKey(route), 'answered']);
          effective[entry ?? ''] = 'public';
          continue;
        }
        expect([routeKey(route), anonymous.status]).toEqual([routeKey(route), 401]);
        expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
        const passing: ApiScope[] = [];
        for (const candidate of API_SCOPES) {
          const status = (await call(route.method, path, SCOPE_KEYS[candidate])).status;
          if (status !== 401 && status !== 403) passing.push(candidate);
          else
            expect([routeKey(route), candidate, status]).toEqual([routeKey(route), candidate, 403]);
        }
        effective[entry ?? routeKey(route)] =
          passing.filter((s) => s !== 'admin').join(',') || 'admin';
        expect(passing).toContain('admin');
      }
      expect(effective).toEqual(Object.fromEntries(documented));
    });
  });
});
