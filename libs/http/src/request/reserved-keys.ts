import { type NextFunction, type Request, type Response } from 'express';
import { findReservedKey, RESERVED_KEYS, reservedKeyReason } from '@kairos/contracts';
import { KairosError } from '../errors/kairos.error';

// The names are plain identifiers (letters and underscores): no escaping needed.
const RESERVED_QUERY_KEY = new RegExp(`^(${[...RESERVED_KEYS].join('|')})([[.]|$)`);

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
  // Nothing to look at (the commonest GET): Express 5 re-parses `request.query` on every read.
  if (request.body === undefined && !request.url.includes('?')) {
    next();
    return;
  }
  const field = findReservedQueryKey(request.query) ?? findReservedKey(request.body);
  if (field === null) {
    next();
    return;
  }
  next(
    KairosError.validation([
      {
        field,
        reason: reservedKeyReason(field),
      },
    ]),
  );
}
