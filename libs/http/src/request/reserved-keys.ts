import { type FastifyInstance } from 'fastify';
import { findReservedKey, RESERVED_KEYS, reservedKeyReason } from '@kairos/contracts';
import { KairosError } from '../errors/kairos.error';

// The names are plain identifiers (letters and underscores): no escaping needed.
const RESERVED_QUERY_KEY = new RegExp(`^(${[...RESERVED_KEYS].join('|')})([[.]|$)`);

/**
 * Query keys as parsed by Fastify's parser (fast-querystring) stay flat (`__proto__[admin]` is
 * one key), so a reserved word followed by `[` or `.` counts too: a later parser or merge would
 * nest it.
 */
export function findReservedQueryKey(query: unknown): string | null {
  if (typeof query !== 'object' || query === null) return null;
  const flat = Object.keys(query).find((key) => RESERVED_QUERY_KEY.test(key));
  const nested = flat === undefined ? findReservedKey(query) : flat;
  return nested === null ? null : `query.${nested}`;
}

/** Refuses (400 naming the field) a query or body that carries a reserved key at any depth. */
export function installReservedKeyCheck(server: FastifyInstance): void {
  server.addHook('preValidation', (request, _reply, done) => {
    // Nothing to look at: the commonest GET.
    if (request.body === undefined && !request.url.includes('?')) {
      done();
      return;
    }
    const field = findReservedQueryKey(request.query) ?? findReservedKey(request.body);
    if (field === null) {
      done();
      return;
    }
    done(KairosError.validation([{ field, reason: reservedKeyReason(field) }]));
  });
}
