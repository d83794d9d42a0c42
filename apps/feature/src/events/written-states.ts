import { type VersionedState } from '../storage/user-state.store';

/**
 * The states this consumer wrote last, so the next batch of the same users does not read them
 * back from storage (one MongoDB round trip fewer per batch on the path to freshness).
 *
 * Safe without any invalidation protocol: every state write is conditional on the version it
 * was computed from, so if someone else wrote a user since (a rebalance moved the partition),
 * the write loses its race and that user is reloaded from storage and reapplied. Dropping the
 * whole cache when the group's assignment changes only keeps such races rare.
 */
export class WrittenStates {
  private readonly states = new Map<string, VersionedState>();

  constructor(private readonly capacity: number) {}

  /** Cached states of these users, and the users to load from storage. */
  lookup(userIds: readonly string[]): { found: Map<string, VersionedState>; missing: string[] } {
    const found = new Map<string, VersionedState>();
    const missing: string[] = [];
    for (const userId of userIds) {
      const state = this.states.get(userId);
      if (state === undefined) missing.push(userId);
      else found.set(userId, state);
    }
    return { found, missing };
  }

  /** Remembers a state as written (its version is the one now stored); evicts the oldest. */
  remember(userId: string, written: VersionedState): void {
    this.states.delete(userId);
    this.states.set(userId, written);
    if (this.states.size > this.capacity) {
      const oldest = this.states.keys().next();
      if (oldest.done !== true) this.states.delete(oldest.value);
    }
  }

  forget(userIds: Iterable<string>): void {
    for (const userId of userIds) this.states.delete(userId);
  }

  clear(): void {
    this.states.clear();
  }
}
