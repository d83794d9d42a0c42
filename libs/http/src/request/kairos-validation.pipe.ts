import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { acceptFast } from '@kairos/contracts';

type Constructor = new () => object;

/**
 * The global ValidationPipe (built with the shared VALIDATOR_OPTIONS by createValidationPipe),
 * with two shortcuts for valid input; anything else takes the full pipe, which stays the
 * authority for refusals and their messages.
 *
 * - A body or query that acceptFast can vouch for (the DTO's own class-validator rules, run
 *   without class-transformer's and class-validator's per-call bookkeeping) is returned as the
 *   instance the pipe would have built.
 * - The commonest query of all, none: validating `{}` against a query DTO gives the same answer
 *   every time, yet the pipe redoes it per request (a twentieth of a cached GET in the CPU profile
 *   of bench/recommender/get), including for DTOs acceptFast leaves alone (`@Type(() => Number)`
 *   on a query parameter). So the first empty query of each DTO runs the full pipe; when that
 *   passes and yields a bare instance (no property set), later empty queries get a fresh instance
 *   directly. A DTO that rejects `{}` always takes the full path.
 */
export class KairosValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakMap<Constructor, boolean>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype as Constructor | undefined;
    if ((metadata.type !== 'body' && metadata.type !== 'query') || !isDtoClass(dto)) {
      return super.transform(value, metadata);
    }
    if (!isPlainObject(value)) return super.transform(value, metadata);
    if (metadata.type === 'query' && Object.keys(value).length === 0) {
      return this.emptyQuery(dto, value, metadata);
    }
    return acceptFast(dto, value) ?? super.transform(value, metadata);
  }

  private async emptyQuery(
    dto: Constructor,
    value: object,
    metadata: ArgumentMetadata,
  ): Promise<unknown> {
    if (this.emptyQueryPasses.get(dto) === true) return new dto();
    const transformed: unknown = await super.transform(value, metadata);
    this.emptyQueryPasses.set(
      dto,
      transformed instanceof dto && Object.keys(transformed).length === 0,
    );
    return transformed;
  }
}

/** The types ValidationPipe does not validate (its `toValidate`), and no type at all. */
const UNVALIDATED: readonly unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date];

function isDtoClass(dto: Constructor | undefined): dto is Constructor {
  return typeof dto === 'function' && !UNVALIDATED.includes(dto);
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  // Fastify's query parser (fast-querystring) makes objects without a prototype.
  return prototype === Object.prototype || prototype === null;
}
