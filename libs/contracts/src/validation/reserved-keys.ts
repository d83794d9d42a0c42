/**
 * `__proto__`, `prototype` and every name Object.prototype carries (`constructor`, `toString`,
 * `valueOf`, `hasOwnProperty`, ...): class-validator's whitelist treats an inherited name as a
 * known property, so `{"toString": 1}` would pass `forbidNonWhitelisted` and shadow the method.
 * Refused wherever input is validated: HTTP bodies and queries, batch entries, Kafka payloads.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);
/** Deeper input is refused too, instead of recursing without bound. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Finds the first reserved key in a parsed JSON value, as a `a.b[2].c` path, or the path where
 * nesting passed MAX_INPUT_DEPTH. class-transformer would drop such keys silently; callers refuse
 * the input instead, naming where the key was. Runs on every input, so the path is only spelled
 * out once something is found.
 */
export function findReservedKey(value: unknown): string | null {
  const trail = reservedKeyTrail(value, 0);
  if (trail === null) return null;
  let path = '';
  for (const step of trail) {
    path = typeof step === 'number' ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`;
  }
  return path || '(root)';
}

/** The keys and indices leading to the first reserved key (or too deep a value), or null. */
function reservedKeyTrail(value: unknown, depth: number): (string | number)[] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_INPUT_DEPTH) return [];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const trail = reservedKeyTrail(value[index], depth + 1);
      if (trail !== null) return [index, ...trail];
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.has(key)) return [key];
    const trail = reservedKeyTrail((value as Record<string, unknown>)[key], depth + 1);
    if (trail !== null) return [key, ...trail];
  }
  return null;
}

/** Why a key found by findReservedKey is refused. */
export function reservedKeyReason(field: string): string {
  return `${field} is not allowed: __proto__, prototype and Object.prototype's names (constructor, toString, ...) are reserved keys (or nesting deeper than ${MAX_INPUT_DEPTH})`;
}
