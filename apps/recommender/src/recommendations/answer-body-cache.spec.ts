import { AnswerBodyCache, type AnswerBodyKey } from './answer-body-cache';

const key = (userId: string, overrides: Partial<AnswerBodyKey> = {}): AnswerBodyKey => ({
  userId,
  k: 10,
  listStamp: 1,
  availability: 0,
  ...overrides,
});

describe('AnswerBodyCache', () => {
  it('serves a body only for the key it was made for', () => {
    const cache = new AnswerBodyCache(100);
    const body = Buffer.from('{"userId":"a"}');
    cache.set(key('a'), body);
    expect(cache.get(key('a'))).toBe(body);
    expect(cache.get(key('a', { k: 20 }))).toBeUndefined();
    expect(cache.get(key('a', { listStamp: 2 }))).toBeUndefined();
    expect(cache.get(key('a', { availability: 1 }))).toBeUndefined();
    expect(cache.get(key('b'))).toBeUndefined();
  });

  it('replaces a user entry and drops the oldest past its capacity in bytes', () => {
    const cache = new AnswerBodyCache(6);
    cache.set(key('a'), Buffer.from('a1'));
    cache.set(key('b'), Buffer.from('b1'));
    cache.set(key('a', { listStamp: 2 }), Buffer.from('a2'));
    expect(cache.sizeBytes).toBe(4);
    cache.set(key('c'), Buffer.from('c123'));
    expect(cache.size).toBe(2);
    expect(cache.sizeBytes).toBe(6);
    expect(cache.get(key('b'))).toBeUndefined();
    expect(cache.get(key('a', { listStamp: 2 }))?.toString()).toBe('a2');
    expect(cache.get(key('c'))?.toString()).toBe('c123');
  });

  it('keeps no body larger than the whole capacity', () => {
    const cache = new AnswerBodyCache(3);
    cache.set(key('a'), Buffer.from('a1'));
    cache.set(key('b'), Buffer.from('1234'));
    expect(cache.get(key('b'))).toBeUndefined();
    expect(cache.get(key('a'))?.toString()).toBe('a1');
  });
});
