import { ChunkedColumn, SlotAllocator } from '@kairos/recsys';

/** Slots per chunk: at the default 32 items a list, 256 KiB of codes and scores, allocated once. */
export const LIST_SLOTS_PER_CHUNK = 1_024;

/**
 * Ranked lists of (item, score) stored off the JavaScript heap, in fixed-width slots of chunked
 * typed arrays, with item ids interned as integer codes. At 100,000 cached users a list per
 * user as its own arrays (a pointer array of ids and a Float64Array) cost about 2 KB each and
 * scattered 200,000 small objects over the V8 heap, which then could not give pages back; a slot
 * costs 8 bytes per item, in chunks the collector never walks. Slots of dropped lists are reused.
 * Scores are kept as float32, the precision they are computed in: the engine rounds every score
 * it answers with to float32, so a list reads back exactly (a double from elsewhere, such as a
 * list stored before that rounding, comes back rounded to float32).
 */
export class ListSlab {
  private readonly slots = new SlotAllocator();
  private readonly codes: ChunkedColumn<Int32Array>;
  private readonly scores: ChunkedColumn<Float32Array>;
  private readonly lengths: ChunkedColumn<Uint8Array>;
  private readonly codeByItem = new Map<string, number>();
  private readonly itemByCode: string[] = [];

  /** `width`: the longest list a slot holds (at most 255). */
  constructor(readonly width: number) {
    if (!(Number.isInteger(width) && width >= 1 && width <= 255)) {
      throw new Error(`list width must be an integer from 1 to 255, got ${width}`);
    }
    this.codes = new ChunkedColumn((n) => new Int32Array(n), width, LIST_SLOTS_PER_CHUNK);
    this.scores = new ChunkedColumn((n) => new Float32Array(n), width, LIST_SLOTS_PER_CHUNK);
    this.lengths = new ChunkedColumn((n) => new Uint8Array(n), 1, LIST_SLOTS_PER_CHUNK);
  }

  /** Slots in use. */
  get size(): number {
    return this.slots.size;
  }

  /** Stores `items` (at most `width`) in a free slot and returns the slot. */
  add(items: ReadonlyArray<{ readonly itemId: string; readonly score: number }>): number {
    if (items.length > this.width) {
      throw new Error(`a list of ${items.length} items does not fit slots of ${this.width}`);
    }
    const slot = this.slots.allocate();
    const offset = this.codes.offsetOf(slot);
    const codes = this.codes.chunkOf(slot);
    const scores = this.scores.chunkOf(slot);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as { itemId: string; score: number };
      codes[offset + i] = this.codeOf(item.itemId);
      scores[offset + i] = item.score;
    }
    this.lengths.set(slot, items.length);
    return slot;
  }

  /** The list in `slot`, as new objects (the caller may keep them). */
  read(slot: number): Array<{ itemId: string; score: number }> {
    const offset = this.codes.offsetOf(slot);
    const codes = this.codes.chunkOf(slot);
    const scores = this.scores.chunkOf(slot);
    const length = this.lengths.get(slot);
    const items = new Array<{ itemId: string; score: number }>(length);
    for (let i = 0; i < length; i++) {
      items[i] = {
        itemId: this.itemByCode[codes[offset + i] ?? 0] ?? '',
        score: scores[offset + i] ?? 0,
      };
    }
    return items;
  }

  /** Returns `slot` for reuse; reading it afterwards is the caller's bug. */
  release(slot: number): void {
    this.slots.release(slot);
  }

  /**
   * Codes are never reused: the vocabulary is the catalog's (bounded by it), and a code must
   * keep naming the same item for as long as any slot holds it.
   */
  private codeOf(itemId: string): number {
    let code = this.codeByItem.get(itemId);
    if (code === undefined) {
      code = this.itemByCode.length;
      this.itemByCode.push(itemId);
      this.codeByItem.set(itemId, code);
    }
    return code;
  }
}
