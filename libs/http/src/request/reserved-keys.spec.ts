import { findReservedQueryKey } from './reserved-keys';

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
