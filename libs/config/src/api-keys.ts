import { createHash } from 'node:crypto';

export const API_SCOPES = ['events:write', 'items:write', 'recommendations:read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyConfig {
  /** Shown in logs and metrics instead of the key itself. */
  readonly name: string;
  /** SHA-256 of the secret, hex; the plain secret is never kept in memory after boot. */
  readonly sha256: string;
  readonly scopes: readonly ApiScope[];
  /** Requests per second for this key; falls back to KAIROS_RATE_LIMIT_PER_SECOND. */
  readonly ratePerSecond: number | null;
}

/**
 * Parses KAIROS_API_KEYS: entries separated by `;`, fields by `|`:
 *   <name>|<secret or sha256:<64 hex>>|<scope>[,<scope>...][|<requests per second>]
 * e.g. `web|s3cr3t-key|events:write;ops|sha256:9f86d0...|admin|50`.
 * Returns the parsed keys, or a reason naming the bad entry by its position (never its secret).
 */
export function parseApiKeys(raw: string): ApiKeyConfig[] | string {
  const keys: ApiKeyConfig[] = [];
  const entries = raw
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const [index, entry] of entries.entries()) {
    const where = `entry ${index + 1}`;
    const [name, secret, scopeList, rate, ...rest] = entry.split('|').map((field) => field.trim());
    if (!name || !secret || !scopeList || rest.length > 0) {
      return `${where} must look like name|secret|scope[,scope][|requestsPerSecond]`;
    }
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
      return `${where}: name may only contain [A-Za-z0-9._-]`;
    if (keys.some((key) => key.name === name)) return `${where}: duplicate name ${name}`;
    const scopes = scopeList.split(',').map((scope) => scope.trim());
    const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
    if (unknown.length > 0)
      return `${where} (${name}): unknown scope(s) ${unknown.join(', ')}; known: ${API_SCOPES.join(', ')}`;
    let sha256: string;
    if (secret.startsWith('sha256:')) {
      sha256 = secret.slice('sha256:'.length).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(sha256))
        return `${where} (${name}): sha256: must be followed by 64 hex digits`;
    } else {
      if (secret.length < 16)
        return `${where} (${name}): a plain key must be at least 16 characters`;
      sha256 = createHash('sha256').update(secret, 'utf8').digest('hex');
    }
    let ratePerSecond: number | null = null;
    if (rate !== undefined) {
      ratePerSecond = Number(rate);
      if (!Number.isInteger(ratePerSecond) || ratePerSecond < 1) {
        return `${where} (${name}): requests per second must be a positive integer`;
      }
    }
    keys.push({ name, sha256, scopes: scopes as ApiScope[], ratePerSecond });
  }
  return keys;
}
