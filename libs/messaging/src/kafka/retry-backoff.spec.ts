import { RetryBackoff } from './retry-backoff';

describe('RetryBackoff', () => {
  it('doubles the ceiling per consecutive failure up to the maximum', () => {
    const backoff = new RetryBackoff(100, 1_000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => backoff.failed('events:0'))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('keeps a floor so a jittered retry never spins', () => {
    const backoff = new RetryBackoff(100, 1_000, () => 0);
    expect(backoff.failed('events:0')).toBe(50);
  });

  it('starts over after a success and tracks partitions separately', () => {
    const backoff = new RetryBackoff(100, 1_000, () => 1);
    backoff.failed('events:0');
    backoff.failed('events:0');
    backoff.failed('events:1');
    backoff.succeeded('events:0');
    expect(backoff.attemptsFor('events:0')).toBe(0);
    expect(backoff.attemptsFor('events:1')).toBe(1);
    expect(backoff.failed('events:0')).toBe(100);
  });
});
