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
 * the input instead, naming where the key was.
 */
export function findReservedKey(value: unknown, path = '', depth = 0): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_INPUT_DEPTH) return path || '(root)';
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    if (!Array.isArray(value) && RESERVED_KEYS.has(key)) return child;
    const found = findReservedKey((value as Record<string, unknown>)[key], child, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Why a key found by findReservedKey is refused. */
export function reservedKeyReason(field: string): string {
  return `${field} is not allowed: __proto__, prototype and Object.prototype's names (constructor, toString, ...) are reserved keys (or nesting deeper than ${MAX_INPUT_DEPTH})`;
}
