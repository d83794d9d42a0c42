import { createHash } from 'node:crypto';
import { parseApiKeys } from '@kairos/config';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { TokenBuckets } from './token-bucket';

describe('ApiKeyAuthenticator', () => {
  const hashed = createHash('sha256').update('ops-secret-abcdefgh').digest('hex');
  const keys = parseApiKeys(`web|web-secret-0123456789|events:write;ops|sha256:${hashed}|admin`);
  if (typeof keys === 'string') throw new Error(keys);
  const authenticator = new ApiKeyAuthenticator(keys);

  it('finds plain and pre-hashed keys by their secret', () => {
    expect(authenticator.authenticate('web-secret-0123456789')?.name).toBe('web');
    expect(authenticator.authenticate('ops-secret-abcdefgh')?.name).toBe('ops');
  });

  it('rejects unknown, empty, prefix and hash-as-secret inputs', () => {
    for (const secret of [
      '',
      'web-secret-012345678',
      'web-secret-0123456789x',
      hashed,
      `sha256:${hashed}`,
    ]) {
      expect(authenticator.authenticate(secret)).toBeNull();
    }
  });
});

describe('TokenBuckets', () => {
  it('allows the burst, then one request per 1/rate seconds, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    expect([1, 2, 3].map(() => buckets.take('a', 1, 3))).toEqual([0, 0, 0]);
    expect(buckets.take('a', 1, 3)).toBe(1);
    expect(buckets.take('b', 1, 3)).toBe(0);
    now += 1_000;
    expect(buckets.take('a', 1, 3)).toBe(0);
    expect(buckets.take('a', 1, 3)).toBe(1);
  });

  it('suggests how many whole seconds to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    buckets.take('slow', 0.25, 1);
    expect(buckets.take('slow', 0.25, 1)).toBe(4);
    now += 2_000;
    expect(buckets.take('slow', 0.25, 1)).toBe(2);
  });
});
