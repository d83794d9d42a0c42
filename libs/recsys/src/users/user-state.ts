import { EVENT_TYPES, type EventType } from '@kairos/contracts';
import { setMostRecent } from '../domain/recency-map';
import { UserVectors } from './user-vectors';

export interface UserStateLimits {
  /** L: how many recent events feed the model. */
  readonly historyLength: number;
  /** How many distinct seen items are remembered for exclusion (oldest forgotten first). */
  readonly maxSeenItems: number;
}

/** A user's recent events, oldest first (index 0), as the model's history input reads them. */
export interface RecentHistory {
  readonly length: number;
  itemIdAt(index: number): string;
  typeAt(index: number): EventType;
}

/**
 * The one shared copy of each event-type string: an event parsed from JSON brings its own copy,
 * and a history keeping it would hold one string per remembered event.
 */
const CANONICAL_TYPES = new Map<string, EventType>(EVENT_TYPES.map((type) => [type, type]));

/**
 * What the engine remembers about one user: recent history (item ids, so it survives a table
 * re-seed that renumbers rows), a bounded seen list and the slot of a long-term vector. Kept
 * small, since a replica holds up to `maxUsers` of them (a million by default): the history is
 * one fixed ring of [itemId, type] pairs, the seen items a plain array, the vector lives in the
 * store's shared chunks, and item ids are the item table's own strings (the caller passes them).
 */
export class UserState implements RecentHistory {
  /** Ring of L entries, each two slots: [itemId, type]. */
  private readonly ring: string[];
  private start = 0;
  private count = 0;
  /** Distinct seen items, oldest first (a re-seen item moves to the end). */
  private readonly seenItemIds: string[] = [];
  /** Slot in the store's UserVectors, or -1 before the first event (or after a model change). */
  vectorSlot = -1;

  constructor(private readonly limits: UserStateLimits) {
    this.ring = new Array<string>(2 * limits.historyLength);
  }

  get length(): number {
    return this.count;
  }

  itemIdAt(index: number): string {
    return this.ring[2 * this.position(index)] as string;
  }

  typeAt(index: number): EventType {
    return this.ring[2 * this.position(index) + 1] as EventType;
  }

  /** The newest history item, if any. */
  get lastItemId(): string | undefined {
    return this.count === 0 ? undefined : this.itemIdAt(this.count - 1);
  }

  /** The last `n` history item ids, oldest first. */
  recentItemIds(n: number = this.count): string[] {
    const ids: string[] = [];
    for (let index = Math.max(0, this.count - n); index < this.count; index++) {
      ids.push(this.itemIdAt(index));
    }
    return ids;
  }

  get seen(): readonly string[] {
    return this.seenItemIds;
  }

  record(itemId: string, type: EventType, addToHistory: boolean): void {
    if (addToHistory) this.pushHistory(itemId, CANONICAL_TYPES.get(type) ?? type);
    // Re-seeing moves the item to the young end of the seen order.
    const seen = this.seenItemIds;
    const at = seen.indexOf(itemId);
    if (at >= 0) seen.splice(at, 1);
    seen.push(itemId);
    if (seen.length > this.limits.maxSeenItems) seen.shift();
  }

  private pushHistory(itemId: string, type: EventType): void {
    const capacity = this.limits.historyLength;
    if (capacity === 0) return;
    const slot = this.count < capacity ? this.position(this.count) : this.start;
    this.ring[2 * slot] = itemId;
    this.ring[2 * slot + 1] = type;
    if (this.count < capacity) this.count++;
    else this.start = (this.start + 1) % capacity;
  }

  private position(index: number): number {
    return (this.start + index) % this.limits.historyLength;
  }
}

/**
 * All users' states and their long-term vectors. Bounded in count: beyond `maxUsers` the least
 * recently active user is forgotten (and its vector slot freed).
 */
export class UserStateStore {
  private readonly users = new Map<string, UserState>();
  private readonly vectors = new UserVectors();

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
    setMostRecent(this.users, userId, state, this.maxUsers, (evicted) => this.dropVector(evicted));
    return state;
  }

  /** The user's long-term vector (a live view), undefined before the first event. */
  longTermOf(state: UserState): Float32Array | undefined {
    return state.vectorSlot < 0 ? undefined : this.vectors.view(state.vectorSlot);
  }

  /** Moves the long-term vector towards `row` by `rate` (the first event copies it). */
  blendLongTerm(state: UserState, row: Float32Array, rate: number): void {
    if (state.vectorSlot < 0) {
      state.vectorSlot = this.vectors.allocate(row);
      return;
    }
    const embedding = this.vectors.view(state.vectorSlot);
    for (let d = 0; d < embedding.length; d++) {
      embedding[d] = (1 - rate) * (embedding[d] ?? 0) + rate * (row[d] ?? 0);
    }
  }

  /** Sets a persisted vector for a user who has none yet (a restart restoring it). */
  restoreLongTerm(state: UserState, vector: Float32Array): void {
    if (state.vectorSlot < 0) state.vectorSlot = this.vectors.allocate(vector);
  }

  /** Drops every long-term vector (they live in the old table's space after a model change). */
  resetLongTerm(): void {
    this.users.forEach((state) => (state.vectorSlot = -1));
    this.vectors.clear();
  }

  /** Bytes of long-term vector storage (for tests and memory accounting). */
  get vectorBytes(): number {
    return this.vectors.bytes;
  }

  private dropVector(state: UserState): void {
    if (state.vectorSlot >= 0) this.vectors.release(state.vectorSlot);
    state.vectorSlot = -1;
  }
}
