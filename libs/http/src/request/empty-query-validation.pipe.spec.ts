import { type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max } from 'class-validator';
import { createValidationPipe } from '../http.module';
import { KairosError } from '../errors/kairos.error';

class OptionalQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(100)
  k?: number;
}

class RequiredQuery {
  @IsString()
  category!: string;
}

const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

/** What Fastify's query parser (fast-querystring) hands over for `?` with nothing after it. */
const emptyQuery = (): object => Object.create(null) as object;

describe('the global validation pipe on empty queries', () => {
  const pipe = createValidationPipe();

  it('gives a fresh DTO instance for every empty query of an all-optional DTO', async () => {
    const first = await pipe.transform(emptyQuery(), asQuery(OptionalQuery));
    const second = await pipe.transform(emptyQuery(), asQuery(OptionalQuery));

    expect(first).toBeInstanceOf(OptionalQuery);
    expect(second).toBeInstanceOf(OptionalQuery);
    expect(second).not.toBe(first);
    expect(Object.keys(second as object)).toEqual([]);
  });

  it('still validates and converts non-empty queries after an empty one', async () => {
    await pipe.transform(emptyQuery(), asQuery(OptionalQuery));

    await expect(pipe.transform({ k: '7' }, asQuery(OptionalQuery))).resolves.toEqual(
      Object.assign(new OptionalQuery(), { k: 7 }),
    );
    await expect(pipe.transform({ k: '700' }, asQuery(OptionalQuery))).rejects.toBeInstanceOf(
      KairosError,
    );
    await expect(pipe.transform({ unknown: 'x' }, asQuery(OptionalQuery))).rejects.toBeInstanceOf(
      KairosError,
    );
  });

  it('rejects every empty query of a DTO with a required field', async () => {
    await expect(pipe.transform(emptyQuery(), asQuery(RequiredQuery))).rejects.toBeInstanceOf(
      KairosError,
    );
    await expect(pipe.transform({}, asQuery(RequiredQuery))).rejects.toBeInstanceOf(KairosError);
  });
});
