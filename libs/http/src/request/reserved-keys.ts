import { type NextFunction, type Request, type Response } from 'express';
import { KairosError } from '../errors/kairos.error';

/**
 * `__proto__`, `prototype` and every name Object.prototype carries (`constructor`, `toString`,
 * `valueOf`, `hasOwnProperty`, ...): class-validator's whitelist treats an inherited name as a
 * known property, so `{"toString": 1}` would pass `forbidNonWhitelisted` and shadow the method.
 */
const RESERVED: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);
// The names are plain identifiers (letters and underscores): no escaping needed.
const RESERVED_QUERY_KEY = new RegExp(`^(${[...RESERVED].join('|')})([[.]|$)`);
const MAX_DEPTH = 32;

/**
 * Finds the first prototype-polluting key in a parsed JSON body. class-transformer would drop
 * such keys silently; we refuse the request instead, naming where the key was.
 */
export function findReservedKey(value: unknown, path = '', depth = 0): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH) return path || '(root)';
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    if (!Array.isArray(value) && RESERVED.has(key)) return child;
    const found = findReservedKey((value as Record<string, unknown>)[key], child, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Query keys as parsed by Express's simple parser stay flat (`__proto__[admin]` is one key), so
 * a reserved word followed by `[` or `.` counts too: a later parser or merge would nest it.
 */
export function findReservedQueryKey(query: unknown): string | null {
  if (typeof query !== 'object' || query === null) return null;
  const flat = Object.keys(query).find((key) => RESERVED_QUERY_KEY.test(key));
  const nested = flat === undefined ? findReservedKey(query) : flat;
  return nested === null ? null : `query.${nested}`;
}

export function rejectReservedKeys(
  request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const field = findReservedQueryKey(request.query) ?? findReservedKey(request.body);
  if (field === null) {
    next();
    return;
  }
  next(
    KairosError.validation([
      {
        field,
        reason: `${field} is not allowed: __proto__, prototype and Object.prototype's names (constructor, toString, ...) are reserved keys (or nesting deeper than ${MAX_DEPTH})`,
      },
    ]),
  );
}
