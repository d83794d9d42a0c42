import { randomHex } from './random-ids';

describe('randomHex', () => {
  it('gives lowercase hex of twice the requested byte count', () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never repeats an id across many pool refills', () => {
    // 256 requests' ids per refill: 5,000 requests' worth crosses the refill boundary 19 times.
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => randomHex(i % 2 === 0 ? 16 : 8)));
    expect(ids.size).toBe(10_000);
  });

  it('refuses more bytes than one refill holds', () => {
    expect(() => randomHex(1_000_000)).toThrow(RangeError);
  });
});
