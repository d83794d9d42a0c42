import { findReservedKey, findReservedQueryKey } from './reserved-keys';

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
    expect(findReservedKey(deep)).not.toBeNull();
  });
});

describe('findReservedQueryKey', () => {
  it.each([
    [{ constructor: 'x' }, 'query.constructor'],
    [{ '__proto__[admin]': '1' }, 'query.__proto__[admin]'],
    [{ 'prototype.polluted': '1' }, 'query.prototype.polluted'],
    [{ k: { constructor: '1' } }, 'query.k.constructor'],
    [{ valueOf: '1' }, 'query.valueOf'],
  ])('finds the reserved key in %j', (query, field) => {
    expect(findReservedQueryKey(query)).toBe(field);
  });

  it('lets ordinary parameters and reserved words as values through', () => {
    expect(
      findReservedQueryKey({ k: '10', category: 'constructor', constructors: 'x' }),
    ).toBeNull();
  });
});
