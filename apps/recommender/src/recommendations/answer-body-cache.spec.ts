import { AnswerBodyCache, type AnswerBodyKey, ENTRY_OVERHEAD_BYTES } from './answer-body-cache';

const key = (userId: string, overrides: Partial<AnswerBodyKey> = {}): AnswerBodyKey => ({
  userId,
  k: 10,
  listStamp: 1,
  availability: 0,
  ...overrides,
});

/** Room for bodies of these many bytes, with their bookkeeping. */
const room = (...bodies: number[]): number =>
  bodies.reduce((sum, bytes) => sum + bytes + ENTRY_OVERHEAD_BYTES, 0);

describe('AnswerBodyCache', () => {
  it('serves a body only for the key it was made for', () => {
    const cache = new AnswerBodyCache(room(100));
    cache.set(key('a'), Buffer.from('{"userId":"a"}'));
    expect(cache.get(key('a'))?.toString()).toBe('{"userId":"a"}');
    expect(cache.get(key('a', { k: 20 }))).toBeUndefined();
    expect(cache.get(key('a', { listStamp: 2 }))).toBeUndefined();
    expect(cache.get(key('a', { availability: 1 }))).toBeUndefined();
    expect(cache.get(key('b'))).toBeUndefined();
  });

  it('holds an exact-size copy, not a view of a shared pool block', () => {
    const cache = new AnswerBodyCache(room(100));
    const pooled = Buffer.from('{"userId":"a","items":[]}');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    cache.set(key('a'), pooled);
    const held = cache.get(key('a'));
    expect(held?.equals(pooled)).toBe(true);
    expect(held?.buffer.byteLength).toBe(pooled.length);
    expect(cache.sizeBytes).toBe(room(pooled.length));
  });

  it('drops the least recently asked past its capacity, counting bodies and bookkeeping', () => {
    const cache = new AnswerBodyCache(room(2, 2));
    cache.set(key('a'), Buffer.from('a1'));
    cache.set(key('b'), Buffer.from('b1'));
    cache.set(key('a', { listStamp: 2 }), Buffer.from('a2'));
    expect(cache.sizeBytes).toBe(room(2, 2));
    // Asking for `b` makes `a` the least recently asked.
    expect(cache.get(key('b'))?.toString()).toBe('b1');
    cache.set(key('c'), Buffer.from('c1'));
    expect(cache.size).toBe(2);
    expect(cache.sizeBytes).toBe(room(2, 2));
    expect(cache.get(key('a', { listStamp: 2 }))).toBeUndefined();
    expect(cache.get(key('b'))?.toString()).toBe('b1');
    expect(cache.get(key('c'))?.toString()).toBe('c1');
  });

  it('keeps no body larger than the whole capacity, and keeps what it held', () => {
    const cache = new AnswerBodyCache(room(3));
    cache.set(key('a'), Buffer.from('a1'));
    cache.set(key('a', { listStamp: 2 }), Buffer.from('1234'));
    cache.set(key('b'), Buffer.from('1234'));
    expect(cache.get(key('a', { listStamp: 2 }))).toBeUndefined();
    expect(cache.get(key('b'))).toBeUndefined();
    expect(cache.get(key('a'))?.toString()).toBe('a1');
  });
});
