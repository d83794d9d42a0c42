/** What a cached body was derived from; it is served only while all of it is unchanged. */
export interface AnswerBodyKey {
  readonly userId: string;
  readonly k: number;
  /** RecommendationStore.cachedStamp of the user's list. */
  readonly listStamp: number;
  /** CatalogService.availabilityVersion. */
  readonly availability: number;
}

interface Entry {
  readonly k: number;
  readonly listStamp: number;
  readonly availability: number;
  readonly body: Buffer;
}

/**
 * The serialized answers of the users asked most recently, for GETs without filters: the same
 * list, `k` and unavailable items always give the same bytes, and building and serializing them
 * was about a sixth of a cached GET's CPU in the profile of bench/recommender/get. Bounded to
 * `capacityBytes` of bodies (oldest entries dropped first: a k = 100 answer is ten times a
 * k = 10 one); an entry whose key no longer matches is never served, and is replaced by the
 * next answer.
 */
export class AnswerBodyCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly capacityBytes: number) {}

  get(key: AnswerBodyKey): Buffer | undefined {
    const entry = this.entries.get(key.userId);
    return entry !== undefined &&
      entry.k === key.k &&
      entry.listStamp === key.listStamp &&
      entry.availability === key.availability
      ? entry.body
      : undefined;
  }

  set(key: AnswerBodyKey, body: Buffer): void {
    if (body.length > this.capacityBytes) return;
    // Re-inserted at the end: Map order is the eviction order.
    this.remove(key.userId);
    this.entries.set(key.userId, {
      k: key.k,
      listStamp: key.listStamp,
      availability: key.availability,
      body,
    });
    this.bytes += body.length;
    for (const userId of this.entries.keys()) {
      if (this.bytes <= this.capacityBytes) break;
      this.remove(userId);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  private remove(userId: string): void {
    const entry = this.entries.get(userId);
    if (entry === undefined) return;
    this.bytes -= entry.body.length;
    this.entries.delete(userId);
  }
}
