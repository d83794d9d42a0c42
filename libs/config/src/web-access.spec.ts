import { parseCorsOrigins } from './web-access';

describe('parseCorsOrigins', () => {
  it('turns CORS off when unset or blank', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' , ')).toEqual([]);
  });

  it('accepts exact origins, lower-cased and deduplicated, and `*` alone', () => {
    expect(
      parseCorsOrigins(
        'https://Shop.example, http://localhost:5173,https://shop.example,http://[::1]:8080',
      ),
    ).toEqual(['https://shop.example', 'http://localhost:5173', 'http://[::1]:8080']);
    expect(parseCorsOrigins('*')).toEqual(['*']);
  });

  it.each([
    'shop.example',
    'https://shop.example/',
    'https://shop.example/path',
    'https://*.shop.example',
    'ftp://shop.example',
    'https://shop.example:99999',
    'https://shop.example?x=1',
    'null',
  ])('refuses %s, naming it', (origin) => {
    const result = parseCorsOrigins(`https://ok.example,${origin}`);
    expect(typeof result).toBe('string');
    expect(result).toContain(JSON.stringify(origin));
  });

  it('refuses `*` combined with other origins', () => {
    expect(parseCorsOrigins('*,https://shop.example')).toMatch(/cannot be combined/);
  });
});
