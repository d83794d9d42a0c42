import { IsString } from 'class-validator';
import { findReservedKey } from './reserved-keys';
import { validateDto } from './validate-dto';

describe('findReservedKey', () => {
  it.each([
    ['{"__proto__": {"admin": true}}', '__proto__'],
    ['{"a": {"constructor": {"prototype": {}}}}', 'a.constructor'],
    ['{"events": [{"userId": "u"}, {"prototype": 1}]}', 'events[1].prototype'],
    // Found by the HTTP fuzzer: an inherited name passed the DTO whitelist (202).
    ['{"userId": "u", "toString": 1}', 'toString'],
    ['{"hasOwnProperty": 1}', 'hasOwnProperty'],
  ])('finds the reserved key in %s', (json, path) => {
    expect(findReservedKey(JSON.parse(json))).toBe(path);
  });

  it.each([
    '{"userId": "__proto__"}',
    '{"context": {"q": "{\\"$gt\\": \\"\\"}"}}',
    '[1, 2]',
    'null',
    '"x"',
  ])('lets %s through (reserved words as values are inert)', (json) => {
    expect(findReservedKey(JSON.parse(json))).toBeNull();
  });

  it('refuses pathological nesting instead of recursing without bound', () => {
    const deep: unknown = JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40));
    expect(findReservedKey(deep)).toBe(Array.from({ length: 33 }, () => 'a').join('.'));
    expect(findReservedKey({ list: [[{ a: [{ prototype: 1 }] }]] })).toBe(
      'list[0][0].a[0].prototype',
    );
  });
});

class NamedDto {
  @IsString() name!: string;
}

describe('validateDto and reserved keys', () => {
  it('refuses an inherited name the whitelist would take for a known property, naming it', () => {
    const result = validateDto(NamedDto, { name: 'a', toString: 1 });
    expect(result).toEqual({
      issues: [{ field: 'toString', reason: expect.stringContaining('reserved') as string }],
    });
  });

  it('still accepts a valid payload', () => {
    expect(validateDto(NamedDto, { name: 'a' })).toEqual({ value: { name: 'a' } });
  });
});
