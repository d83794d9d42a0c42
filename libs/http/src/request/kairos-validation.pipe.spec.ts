import { type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { createValidationPipe } from '../http.module';
import { KairosError } from '../errors/kairos.error';

class OptionalQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(100)
  k?: number;
}

class EventBody {
  @IsString()
  @Matches(/^[a-z0-9-]+$/)
  userId!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  timestamp?: number;
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

describe('the global validation pipe on queries', () => {
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

describe('the global validation pipe on bodies', () => {
  const pipe = createValidationPipe();
  const asBody: ArgumentMetadata = { type: 'body', metatype: EventBody };

  it('returns a valid body as an instance of its DTO, as the full pipe does', async () => {
    const body = await pipe.transform({ userId: 'u-1', timestamp: 5 }, asBody);

    expect(body).toBeInstanceOf(EventBody);
    expect(body).toEqual({ userId: 'u-1', timestamp: 5 });
  });

  it('refuses invalid bodies naming each field, unknown fields and reserved keys', async () => {
    const issuesOf = async (value: unknown): Promise<unknown> =>
      pipe.transform(value, asBody).then(
        () => 'accepted',
        (error: KairosError) => error.details,
      );

    await expect(issuesOf({ userId: 'U 1', timestamp: -1 })).resolves.toEqual([
      { field: 'userId', reason: expect.stringContaining('must match') as string },
      { field: 'timestamp', reason: 'timestamp must not be less than 0' },
    ]);
    await expect(issuesOf({ userId: 'u', extra: 1 })).resolves.toEqual([
      { field: 'extra', reason: 'property extra should not exist' },
    ]);
    await expect(issuesOf({})).resolves.toEqual([
      { field: 'userId', reason: expect.stringContaining('must match') as string },
      { field: 'userId', reason: 'userId must be a string' },
    ]);
  });
});
