import { setMostRecent } from '../domain/recency-map';
import type { EventType } from '@kairos/contracts';

export interface UserStateLimits {
  /** L: how many recent events feed the model. */
  readonly historyLength: number;
  /** How many distinct seen items are remembered for exclusion (oldest forgotten first). */
  readonly maxSeenItems: number;
}

export interface HistoryEntry {
  readonly itemId: string;
  readonly type: EventType;
  readonly timestamp: number;
}

/**
 * What the engine remembers about one user: recent history (item ids, so it survives a table
 * re-seed that renumbers rows), a bounded seen set and a long-term embedding. Plain data; the
 * engine decides how to weight and update it.
 */
export class UserState {
  private readonly entries: HistoryEntry[] = [];
  /** Insertion-ordered, so the oldest item is the first key when the bound is hit. */
  private readonly seenItems = new Set<string>();
  /** EMA of the rows of items the user interacted with; undefined until the first event. */
  longTermEmbedding: Float32Array | undefined;
  lastEventAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly limits: UserStateLimits) {}

  get history(): readonly HistoryEntry[] {
    return this.entries;
  }

  get seen(): ReadonlySet<string> {
    return this.seenItems;
  }

  get lastItemId(): string | undefined {
    return this.entries[this.entries.length - 1]?.itemId;
  }

  record(entry: HistoryEntry, addToHistory: boolean): void {
    this.lastEventAt = Math.max(this.lastEventAt, entry.timestamp);
    if (addToHistory) {
      this.entries.push(entry);
      if (this.entries.length > this.limits.historyLength) this.entries.shift();
    }
    // Re-inserting moves the item to the young end of the seen order.
    this.seenItems.delete(entry.itemId);
    this.seenItems.add(entry.itemId);
    if (this.seenItems.size > this.limits.maxSeenItems) {
      const oldest = this.seenItems.values().next();
      if (!oldest.done) this.seenItems.delete(oldest.value);
    }
  }

  /** Moves the long-term embedding towards `row` by `rate` (first event: copies it). */
  blendLongTerm(row: Float32Array, rate: number): void {
    if (!this.longTermEmbedding) {
      this.longTermEmbedding = row.slice();
      return;
    }
    const embedding = this.longTermEmbedding;
    for (let d = 0; d < embedding.length; d++) {
      embedding[d] = (1 - rate) * (embedding[d] ?? 0) + rate * (row[d] ?? 0);
    }
  }

  /** Drops the long-term vector (it lives in the old table's space after a model change). */
  resetEmbedding(): void {
    this.longTermEmbedding = undefined;
  }
}

/** All users' states. Bounded in count by the caller's eviction policy (least recently active). */
export class UserStateStore {
  private readonly users = new Map<string, UserState>();

  constructor(
    private readonly limits: UserStateLimits,
    private readonly maxUsers = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.users.size;
  }

  get(userId: string): UserState | undefined {
    return this.users.get(userId);
  }

  getOrCreate(userId: string): UserState {
    const state = this.users.get(userId) ?? new UserState(this.limits);
    // Map order = recency of activity, so eviction removes the least recently active.
    setMostRecent(this.users, userId, state, this.maxUsers);
    return state;
  }

  forEach(visit: (state: UserState, userId: string) => void): void {
    this.users.forEach(visit);
  }
}
