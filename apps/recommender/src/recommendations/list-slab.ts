/** Slots per chunk: 1,024 lists of 100 items are 800 KB, allocated once and reused. */
const SLOTS_PER_CHUNK = 1_024;

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
  private readonly codeChunks: Int32Array[] = [];
  private readonly scoreChunks: Float32Array[] = [];
  private readonly lengthChunks: Uint8Array[] = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private readonly codeByItem = new Map<string, number>();
  private readonly itemByCode: string[] = [];

  /** `width`: the longest list a slot holds (at most 255). */
  constructor(readonly width: number) {
    if (!(Number.isInteger(width) && width >= 1 && width <= 255)) {
      throw new Error(`list width must be an integer from 1 to 255, got ${width}`);
    }
  }

  /** Slots in use. */
  get size(): number {
    return this.nextSlot - this.freeSlots.length;
  }

  /** Stores `items` (at most `width`) in a free slot and returns the slot. */
  add(items: ReadonlyArray<{ readonly itemId: string; readonly score: number }>): number {
    if (items.length > this.width) {
      throw new Error(`a list of ${items.length} items does not fit slots of ${this.width}`);
    }
    const slot = this.freeSlots.pop() ?? this.newSlot();
    const { chunk, offset } = this.locate(slot);
    const codes = this.codeChunks[chunk] as Int32Array;
    const scores = this.scoreChunks[chunk] as Float32Array;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as { itemId: string; score: number };
      codes[offset + i] = this.codeOf(item.itemId);
      scores[offset + i] = item.score;
    }
    (this.lengthChunks[chunk] as Uint8Array)[slot % SLOTS_PER_CHUNK] = items.length;
    return slot;
  }

  /** The list in `slot`, as new objects (the caller may keep them). */
  read(slot: number): Array<{ itemId: string; score: number }> {
    const { chunk, offset } = this.locate(slot);
    const codes = this.codeChunks[chunk] as Int32Array;
    const scores = this.scoreChunks[chunk] as Float32Array;
    const length = (this.lengthChunks[chunk] as Uint8Array)[slot % SLOTS_PER_CHUNK] ?? 0;
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
    this.freeSlots.push(slot);
  }

  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot % SLOTS_PER_CHUNK === 0) {
      this.codeChunks.push(new Int32Array(SLOTS_PER_CHUNK * this.width));
      this.scoreChunks.push(new Float32Array(SLOTS_PER_CHUNK * this.width));
      this.lengthChunks.push(new Uint8Array(SLOTS_PER_CHUNK));
    }
    return slot;
  }

  private locate(slot: number): { chunk: number; offset: number } {
    return {
      chunk: Math.floor(slot / SLOTS_PER_CHUNK),
      offset: (slot % SLOTS_PER_CHUNK) * this.width,
    };
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
