import { Injectable } from '@nestjs/common';
import { type Clock, InjectClock, InjectConfig, type KairosConfig } from '@kairos/config';
import { ConsumerAssignments } from '@kairos/messaging';
import { setMostRecent } from '@kairos/recsys';
import { CachedListTable, type CachedRecommendationList } from './cached-list-table';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';

/** Lists kept in memory; the least recently written are dropped first (the repository keeps them all). */
const CACHE_CAPACITY = 200_000;
/** The consumer group whose partitions decide which users' lists this replica writes. */
const RECOMMENDER_GROUP = 'recommender';
/**
 * How long a list read from MongoDB (a user this replica does not compute) is answered from
 * memory before it is read again: the replica that owns the user keeps writing newer ones.
 */
export const READ_THROUGH_FRESH_MS = 2_000;

/**
 * Precomputed lists: a bounded in-memory cache in front of the RecommendationRepository port.
 * Lists this replica computed are answered from memory for as long as it owns their users'
 * partitions; lists it only read are trusted briefly (READ_THROUGH_FRESH_MS).
 */
@Injectable()
export class RecommendationStore {
  /** User id to the slot of the user's list in `lists`, least recently written first. */
  private readonly cache = new Map<string, number>();
  /**
   * The cached lists, with the first `cachedListItems` items of each (MongoDB keeps all of them).
   * Most GETs ask for a few items, and at 100,000 users whole lists of 100 were 80 MB here.
   */
  private readonly lists: CachedListTable;

  constructor(
    private readonly repository: RecommendationRepository,
    @InjectClock() private readonly clock: Clock,
    assignments: ConsumerAssignments,
    @InjectConfig() config: Pick<KairosConfig, 'recommender'>,
  ) {
    this.lists = new CachedListTable(config.recommender.cachedListItems);
    assignments.onChange(RECOMMENDER_GROUP, () => this.forgetOwned());
  }

  cached(userId: string): CachedRecommendationList | undefined {
    const slot = this.liveSlot(userId);
    return slot === undefined ? undefined : this.lists.read(slot, userId);
  }

  /**
   * A number that changes whenever the user's cached list does (undefined when memory holds
   * none): what an answer derived from the list may be cached against.
   */
  cachedStamp(userId: string): number | undefined {
    const slot = this.liveSlot(userId);
    return slot === undefined ? undefined : this.lists.writeStamp(slot);
  }

  /** The repository's list, whole, without touching the cache (for a GET memory cannot answer). */
  async storedInFull(userId: string): Promise<RecommendationList | null> {
    return this.repository.findOne(userId);
  }

  /**
   * The repository's list, kept in memory unless memory already holds a newer one: a read that
   * reached MongoDB before this replica's own write landed must not replace that write's list.
   */
  async stored(userId: string): Promise<RecommendationList | null> {
    const list = await this.repository.findOne(userId);
    if (list !== null && !this.holdsNewerThan(list)) this.remember(list, false);
    return list;
  }

  /**
   * Durable first, then visible in the cache. A list the repository refused as older than the
   * stored one is dropped from this replica's cache, so its next answer is the stored list.
   */
  async saveMany(lists: readonly RecommendationList[]): Promise<void> {
    if (lists.length === 0) return;
    const superseded = await this.repository.saveMany(lists);
    for (const list of lists) {
      if (superseded.has(list.userId)) this.forget(list.userId);
      else this.remember(list, true);
    }
  }

  /** The user's slot, unless it holds a read-through list older than READ_THROUGH_FRESH_MS. */
  private liveSlot(userId: string): number | undefined {
    const slot = this.cache.get(userId);
    if (slot === undefined) return undefined;
    const lists = this.lists;
    if (!lists.owned(slot) && this.clock() - lists.cachedAt(slot) > READ_THROUGH_FRESH_MS) {
      this.forget(userId);
      return undefined;
    }
    return slot;
  }

  /**
   * Partitions may have moved: another replica may write newer lists for users whose lists this
   * one computed. Those entries go; the next GET reads MongoDB.
   */
  private forgetOwned(): void {
    for (const [userId, slot] of this.cache) if (this.lists.owned(slot)) this.forget(userId);
  }

  private forget(userId: string): void {
    const slot = this.cache.get(userId);
    if (slot === undefined) return;
    this.cache.delete(userId);
    this.lists.release(slot);
  }

  private holdsNewerThan(list: RecommendationList): boolean {
    const slot = this.cache.get(list.userId);
    const held = slot === undefined ? null : this.lists.asOfVersion(slot);
    return held !== null && list.asOfVersion !== null && held > list.asOfVersion;
  }

  private remember(list: RecommendationList, owned: boolean): void {
    const previous = this.cache.get(list.userId);
    if (previous !== undefined) this.lists.release(previous);
    const slot = this.lists.add(list, { cachedAt: this.clock(), owned });
    setMostRecent(this.cache, list.userId, slot, CACHE_CAPACITY, (evicted) =>
      this.lists.release(evicted),
    );
  }
}
