import { type VersionedState } from '../storage/user-state.store';
import { approximateHeapBytes } from './state-footprint';

export interface WrittenStatesBounds {
  /** States kept at most. */
  readonly maxStates: number;
  /** Heap the kept states may hold at most, by approximateHeapBytes. */
  readonly maxBytes: number;
}

/**
 * The states this consumer wrote last, so the next batch of the same users does not read them
 * back from storage (one MongoDB round trip fewer per batch on the path to freshness).
 *
 * Bounded by count and by approximate heap: a state's size varies from a few hundred bytes to
 * ~270 KB (measured), so a count alone would let 2,000 large states hold half a gigabyte.
 * The least recently written are evicted first.
 *
 * Safe without any invalidation protocol: every state write is conditional on the version it
 * was computed from, so if someone else wrote a user since (a rebalance moved the partition),
 * the write loses its race and that user is reloaded from storage and reapplied. Dropping the
 * whole cache when the group's assignment changes only keeps such races rare.
 */
export class WrittenStates {
  private readonly states = new Map<string, { written: VersionedState; bytes: number }>();
  private heldBytes = 0;

  constructor(
    private readonly bounds: WrittenStatesBounds,
    private readonly footprint: (written: VersionedState) => number = (written) =>
      approximateHeapBytes(written.state),
  ) {}

  /** States kept and the heap they hold (approximate), for metrics and benchmarks. */
  get usage(): { states: number; bytes: number } {
    return { states: this.states.size, bytes: this.heldBytes };
  }

  /** Cached states of these users, and the users to load from storage. */
  lookup(userIds: readonly string[]): { found: Map<string, VersionedState>; missing: string[] } {
    const found = new Map<string, VersionedState>();
    const missing: string[] = [];
    for (const userId of userIds) {
      const entry = this.states.get(userId);
      if (entry === undefined) missing.push(userId);
      else found.set(userId, entry.written);
    }
    return { found, missing };
  }

  /** Remembers a state as written (its version is the one now stored); evicts the oldest. */
  remember(userId: string, written: VersionedState): void {
    this.forget([userId]);
    const bytes = this.footprint(written);
    // A state larger than the whole budget would only evict everything else.
    if (bytes > this.bounds.maxBytes) return;
    this.states.set(userId, { written, bytes });
    this.heldBytes += bytes;
    for (const [oldest, entry] of this.states) {
      if (this.states.size <= this.bounds.maxStates && this.heldBytes <= this.bounds.maxBytes)
        break;
      this.states.delete(oldest);
      this.heldBytes -= entry.bytes;
    }
  }

  forget(userIds: Iterable<string>): void {
    for (const userId of userIds) {
      const entry = this.states.get(userId);
      if (entry === undefined) continue;
      this.states.delete(userId);
      this.heldBytes -= entry.bytes;
    }
  }

  clear(): void {
    this.states.clear();
    this.heldBytes = 0;
  }
}
