/** What a cached body was derived from; it is served only while all of it is unchanged. */
export interface AnswerBodyKey {
  readonly userId: string;
  readonly k: number;
  /** RecommendationStore.cachedStamp of the user's list. */
  readonly listStamp: number;
  /** CatalogService.availabilityVersion. */
  readonly availability: number;
}

/**
 * Bookkeeping per entry besides the body: the Map entry, the entry object, the Buffer object and
 * its backing store's header (an estimate, not measured).
 */
export const ENTRY_OVERHEAD_BYTES = 200;

function costOf(body: Buffer): number {
  return body.length + ENTRY_OVERHEAD_BYTES;
}

interface Entry {
  readonly k: number;
  readonly listStamp: number;
  readonly availability: number;
  readonly body: Buffer;
}

/**
 * The serialized answers of the users asked most recently (a hit counts as asked), for GETs
 * without filters: the same list, `k` and unavailable items always give the same bytes, and
 * building and serializing them was about a sixth of a cached GET's CPU in the profile of
 * bench/recommender/get. Bounded to `capacityBytes` (bodies and bookkeeping; least recently
 * asked dropped first: a k = 100 answer is ten times a k = 10 one). An entry whose key no longer
 * matches is never served, and is replaced by the next answer.
 */
export class AnswerBodyCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly capacityBytes: number) {}

  get(key: AnswerBodyKey): Buffer | undefined {
    const entry = this.entries.get(key.userId);
    if (
      entry === undefined ||
      entry.k !== key.k ||
      entry.listStamp !== key.listStamp ||
      entry.availability !== key.availability
    ) {
      return undefined;
    }
    // Asked again: to the end of the eviction order.
    this.entries.delete(key.userId);
    this.entries.set(key.userId, entry);
    return entry.body;
  }

  set(key: AnswerBodyKey, body: Buffer): void {
    if (costOf(body) > this.capacityBytes) return;
    // A small Buffer is a view of one of Node's shared 8 KiB pool blocks, which it would keep
    // alive whole: the cache holds an exact-size copy, so it holds what it counts.
    const own = Buffer.allocUnsafeSlow(body.length);
    body.copy(own);
    // Re-inserted at the end: Map order is the eviction order.
    this.remove(key.userId);
    this.entries.set(key.userId, {
      k: key.k,
      listStamp: key.listStamp,
      availability: key.availability,
      body: own,
    });
    this.bytes += costOf(own);
    for (const userId of this.entries.keys()) {
      if (this.bytes <= this.capacityBytes) break;
      this.remove(userId);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries hold, bodies and bookkeeping (ENTRY_OVERHEAD_BYTES each). */
  get sizeBytes(): number {
    return this.bytes;
  }

  private remove(userId: string): void {
    const entry = this.entries.get(userId);
    if (entry === undefined) return;
    this.bytes -= costOf(entry.body);
    this.entries.delete(userId);
  }
}
