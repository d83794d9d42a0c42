/** Internal flag: the row has a value. Callers' flags use the lower seven bits. */
const HAS_VALUE = 0x80;

/**
 * Per-row flags and one number per row, for one answer at a time, without a Map or Set per
 * answer. `reset` starts a new answer in O(1): a row counts as set only when its stamp is the
 * current epoch, so nothing is cleared between answers. Precomputing lists blends and remembers
 * one answer per user (hundreds per batch); with Maps and Sets that bookkeeping and its garbage
 * were a visible share of every inference call's JavaScript.
 */
export class RowFlags {
  private stamps = new Int32Array(0);
  private flags = new Uint8Array(0);
  private values = new Float64Array(0);
  private epoch = 0;

  /** Forgets every row (O(1)); `rows` is a size hint, larger rows still work. */
  reset(rows = 0): void {
    this.ensure(rows);
    this.epoch += 1;
    if (this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** Adds `flag` (a bit below 0x80) to `row`'s flags. */
  add(row: number, flag: number): void {
    this.touch(row);
    this.flags[row] = (this.flags[row] ?? 0) | flag;
  }

  /** The flags `row` has in this answer (0 when untouched). */
  get(row: number): number {
    return this.stamps[row] === this.epoch ? (this.flags[row] ?? 0) & ~HAS_VALUE : 0;
  }

  /** Stores `value` for `row` (flags untouched). */
  setValue(row: number, value: number): void {
    this.touch(row);
    this.flags[row] = (this.flags[row] ?? 0) | HAS_VALUE;
    this.values[row] = value;
  }

  /** `row`'s value in this answer, `fallback` when none was set. */
  value(row: number, fallback: number): number {
    const own = this.stamps[row] === this.epoch && ((this.flags[row] ?? 0) & HAS_VALUE) !== 0;
    return own ? (this.values[row] ?? fallback) : fallback;
  }

  private touch(row: number): void {
    this.ensure(row + 1);
    if (this.stamps[row] !== this.epoch) {
      this.stamps[row] = this.epoch;
      this.flags[row] = 0;
    }
  }

  private ensure(rows: number): void {
    if (rows <= this.stamps.length) return;
    const size = Math.max(rows, this.stamps.length * 2, 1_024);
    const stamps = new Int32Array(size);
    stamps.set(this.stamps);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    const values = new Float64Array(size);
    values.set(this.values);
    this.stamps = stamps;
    this.flags = flags;
    this.values = values;
  }
}
