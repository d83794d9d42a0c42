import { type ModelRef } from '@kairos/model';
import { ChunkedColumn } from '@kairos/recsys';
import { LIST_SLOTS_PER_CHUNK, ListSlab } from './list-slab';
import { type RecommendationList } from './recommendation';

/** How the store holds a list, besides what the list says. */
export interface CachedListState {
  readonly cachedAt: number;
  /** False when the slot holds only the list's first items (MongoDB has all of them). */
  readonly complete: boolean;
  /** Written by this replica's consumer, which owns the user's partition (see RecommendationStore). */
  readonly owned: boolean;
}

/** A list as memory holds it: `complete` is false when only its first items are kept. */
export interface CachedRecommendationList extends RecommendationList {
  readonly complete: boolean;
}

const COMPLETE = 1;
const OWNED = 2;
/** Columns of `times`, per slot. */
const AS_OF_EVENT_TIME = 0;
const AS_OF_VERSION = 1;
const COMPUTED_AT = 2;
const CACHED_AT = 3;

/**
 * The recommender's cached lists, one slot each: the items in a ListSlab, everything else in
 * columns under the same slot. An object per list with its timestamps (each a boxed number on
 * the V8 heap) cost ~150 bytes per cached user; here it is 40 bytes outside the heap plus the
 * event id string. Null numbers are stored as NaN.
 */
export class CachedListTable {
  private readonly lists: ListSlab;
  private readonly times = new ChunkedColumn((n) => new Float64Array(n), 4, LIST_SLOTS_PER_CHUNK);
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

  add(list: RecommendationList, state: Omit<CachedListState, 'complete'>): number {
    const complete = list.items.length <= this.width;
    const slot = this.lists.add(complete ? list.items : list.items.slice(0, this.width));
    const times = this.times.chunkOf(slot);
    const at = this.times.offsetOf(slot);
    times[at + AS_OF_EVENT_TIME] = list.asOfEventTime ?? Number.NaN;
    times[at + AS_OF_VERSION] = list.asOfVersion ?? Number.NaN;
    times[at + COMPUTED_AT] = list.computedAt;
    times[at + CACHED_AT] = state.cachedAt;
    this.setOne(this.flags, slot, (complete ? COMPLETE : 0) | (state.owned ? OWNED : 0));
    this.setOne(this.modelCodes, slot, this.modelCode(list.model));
    this.asOfEventIds[slot] = list.asOfEventId;
    return slot;
  }

  read(slot: number, userId: string): CachedRecommendationList {
    return {
      userId,
      items: this.lists.read(slot),
      model: this.models[this.getOne(this.modelCodes, slot)] as ModelRef,
      asOfEventId: this.asOfEventIds[slot] ?? null,
      asOfEventTime: this.time(slot, AS_OF_EVENT_TIME),
      asOfVersion: this.time(slot, AS_OF_VERSION),
      computedAt: this.time(slot, COMPUTED_AT) ?? 0,
      complete: (this.getOne(this.flags, slot) & COMPLETE) !== 0,
    };
  }

  owned(slot: number): boolean {
    return (this.getOne(this.flags, slot) & OWNED) !== 0;
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

  private time(slot: number, column: number): number | null {
    const value = this.times.chunkOf(slot)[this.times.offsetOf(slot) + column] ?? Number.NaN;
    return Number.isNaN(value) ? null : value;
  }

  private getOne(column: ChunkedColumn<Uint8Array | Uint16Array>, slot: number): number {
    return column.chunkOf(slot)[column.offsetOf(slot)] ?? 0;
  }

  private setOne(column: ChunkedColumn<Uint8Array | Uint16Array>, slot: number, value: number) {
    column.chunkOf(slot)[column.offsetOf(slot)] = value;
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
