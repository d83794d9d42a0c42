import { type ModelRef } from '@kairos/model';
import { ChunkedColumn } from '@kairos/recsys';
import { LIST_SLOTS_PER_CHUNK, ListSlab } from './list-slab';
import { type RecommendationList } from './recommendation';

/** How the store holds a list, besides what the list says. */
export interface CachedListState {
  readonly cachedAt: number;
  /** Written by this replica's consumer, which owns the user's partition (see RecommendationStore). */
  readonly owned: boolean;
}

/** A list as memory holds it: `complete` is false when only its first items are kept. */
export interface CachedRecommendationList extends RecommendationList {
  readonly complete: boolean;
}

const COMPLETE = 1;
const OWNED = 2;
/** Fields of `times`, per slot. */
const AS_OF_EVENT_TIME = 0;
const AS_OF_VERSION = 1;
const COMPUTED_AT = 2;
const CACHED_AT = 3;
/** The table's write count when the slot was written: changes with every write, never repeats. */
const WRITE_STAMP = 4;

/**
 * The recommender's cached lists, one slot each: the items in a ListSlab, everything else in
 * columns under the same slot. An object per list with its timestamps (each a boxed number on
 * the V8 heap) cost ~150 bytes per cached user; here it is 43 bytes of columns outside the heap
 * plus the event id string. Null numbers are stored as NaN.
 */
export class CachedListTable {
  private readonly lists: ListSlab;
  private readonly times = new ChunkedColumn((n) => new Float64Array(n), 5, LIST_SLOTS_PER_CHUNK);
  private writes = 0;
  private readonly flags = new ChunkedColumn((n) => new Uint8Array(n), 1, LIST_SLOTS_PER_CHUNK);
  private readonly modelCodes = new ChunkedColumn(
    (n) => new Uint16Array(n),
    1,
    LIST_SLOTS_PER_CHUNK,
  );
  private readonly asOfEventIds: Array<string | null> = [];
  /** Models the lists were computed with: a handful per process, each stored once. */
  private readonly models: ModelRef[] = [];

  /** `width`: items kept per list (its first ones). */
  constructor(width: number) {
    this.lists = new ListSlab(width);
  }

  get width(): number {
    return this.lists.width;
  }

  add(list: RecommendationList, state: CachedListState): number {
    const complete = list.items.length <= this.width;
    const slot = this.lists.add(complete ? list.items : list.items.slice(0, this.width));
    this.times.set(slot, list.asOfEventTime ?? Number.NaN, AS_OF_EVENT_TIME);
    this.times.set(slot, list.asOfVersion ?? Number.NaN, AS_OF_VERSION);
    this.times.set(slot, list.computedAt, COMPUTED_AT);
    this.times.set(slot, state.cachedAt, CACHED_AT);
    this.times.set(slot, ++this.writes, WRITE_STAMP);
    this.flags.set(slot, (complete ? COMPLETE : 0) | (state.owned ? OWNED : 0));
    this.modelCodes.set(slot, this.modelCode(list.model));
    this.asOfEventIds[slot] = list.asOfEventId;
    return slot;
  }

  read(slot: number, userId: string): CachedRecommendationList {
    return {
      userId,
      items: this.lists.read(slot),
      model: this.models[this.modelCodes.get(slot)] as ModelRef,
      asOfEventId: this.asOfEventIds[slot] ?? null,
      asOfEventTime: this.time(slot, AS_OF_EVENT_TIME),
      asOfVersion: this.time(slot, AS_OF_VERSION),
      computedAt: this.time(slot, COMPUTED_AT) ?? 0,
      complete: (this.flags.get(slot) & COMPLETE) !== 0,
    };
  }

  owned(slot: number): boolean {
    return (this.flags.get(slot) & OWNED) !== 0;
  }

  /** Differs for every list written, even one written into a slot another list left. */
  writeStamp(slot: number): number {
    return this.times.get(slot, WRITE_STAMP);
  }

  cachedAt(slot: number): number {
    return this.time(slot, CACHED_AT) ?? 0;
  }

  asOfVersion(slot: number): number | null {
    return this.time(slot, AS_OF_VERSION);
  }

  release(slot: number): void {
    this.asOfEventIds[slot] = null;
    this.lists.release(slot);
  }

  private time(slot: number, field: number): number | null {
    const value = this.times.get(slot, field);
    return Number.isNaN(value) ? null : value;
  }

  private modelCode(model: ModelRef): number {
    let code = this.models.findIndex(
      (known) => known.name === model.name && known.version === model.version,
    );
    if (code < 0) {
      if (this.models.length === 0xffff) throw new Error('more than 65,535 models cached');
      code = this.models.push({ name: model.name, version: model.version }) - 1;
    }
    return code;
  }
}
