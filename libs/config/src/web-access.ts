/**
 * Which browser origins may call the APIs (CORS), from KAIROS_CORS_ORIGINS: a comma-separated
 * list of exact origins, or `*` alone. Validated here, once, so a typo fails the boot instead of
 * silently blocking (or opening) browser access.
 */

/** `scheme://host[:port]` exactly as browsers send it in the Origin header. */
const ORIGIN_PATTERN =
  /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/i;

/**
 * Parses the list: empty or unset = CORS off (`[]`), `['*']` = any origin. Returns a reason
 * naming the first bad entry instead of throwing, like the other config parsers.
 */
export function parseCorsOrigins(raw: string | undefined): readonly string[] | string {
  const origins = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  if (origins.includes('*')) {
    return origins.length === 1
      ? ['*']
      : '`*` allows every origin and cannot be combined with others';
  }
  for (const origin of origins) {
    const port = Number(/:(\d+)$/.exec(origin)?.[1] ?? '1');
    if (!ORIGIN_PATTERN.test(origin) || port < 1 || port > 65_535) {
      return (
        `${JSON.stringify(origin)} is not an origin: use scheme://host[:port] with http or https ` +
        'and nothing after it (no path, no trailing slash, no wildcards)'
      );
    }
  }
  return [...new Set(origins.map((origin) => origin.toLowerCase()))];
}
