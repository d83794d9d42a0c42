/**
 * Exponential backoff per key (a topic-partition), with full jitter so replicas that failed
 * together do not retry in lockstep against a recovering database.
 */
export class RetryBackoff {
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly initialMs = 200,
    private readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failure and returns how long to wait before the next attempt. */
  failed(key: string): number {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** (attempt - 1));
    return Math.max(this.initialMs / 2, Math.round(ceiling * this.random()));
  }

  succeeded(key: string): void {
    this.attempts.delete(key);
  }

  attemptsFor(key: string): number {
    return this.attempts.get(key) ?? 0;
  }
}
