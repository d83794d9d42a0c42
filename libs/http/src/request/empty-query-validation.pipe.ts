import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';

type Constructor = new () => object;

/**
 * The global ValidationPipe, with a shortcut for the commonest query of all: none. Validating
 * `{}` against a query DTO gives the same answer every time, yet class-transformer and
 * class-validator redo it per request (a twentieth of a cached GET in the CPU profile of
 * bench/recommender/get). So the first empty query of each DTO runs the full pipe; when that
 * passes and yields a bare instance (no property set), later empty queries get a fresh
 * instance directly. Anything else, or a DTO that rejects `{}`, always takes the full path.
 */
export class EmptyQueryValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakMap<Constructor, boolean>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype as Constructor | undefined;
    if (metadata.type !== 'query' || dto === undefined || !isEmptyPlainObject(value)) {
      return super.transform(value, metadata);
    }
    if (this.emptyQueryPasses.get(dto) === true) return new dto();
    const transformed: unknown = await super.transform(value, metadata);
    this.emptyQueryPasses.set(
      dto,
      transformed instanceof dto && Object.keys(transformed).length === 0,
    );
    return transformed;
  }
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  // Fastify's query parser (fast-querystring) makes objects without a prototype.
  return (prototype === Object.prototype || prototype === null) && Object.keys(value).length === 0;
}
