import { SeededRandom } from '../domain/seeded-random';

/** A row received from another replica (or persisted earlier): full vector plus its version. */
export interface ItemRowUpdate {
  readonly itemId: string;
  readonly vector: Float32Array;
  readonly version: number;
}

/** Where a new item's first embedding should come from, best evidence first. */
export interface NewItemHints {
  /** Items seen together with the new one (e.g. the user's recent history). */
  readonly coOccurringItemIds?: readonly string[];
  readonly category?: string;
}

const INITIAL_CAPACITY = 1024;
/** Scale of the random start vector when nothing is known about a new item. */
const RANDOM_INIT_SCALE = 0.01;

/**
 * The live item-embedding table: row-major Float32Array [N, D] that grows as new items arrive,
 * with itemId <-> row maps. Seeded from a model's vocabulary and base embeddings; every online
 * update bumps the row's version so replicas can apply each other's rows last-writer-wins.
 */
export class ItemTable {
  readonly dimension: number;
  private data: Float32Array;
  private versions: Uint32Array;
  private rowCount = 0;
  private readonly rowByItemId = new Map<string, number>();
  private readonly itemIdByRow: string[] = [];
  private readonly categoryByRow: (string | undefined)[] = [];
  private readonly rowsByCategory = new Map<string, number[]>();
  private readonly random: SeededRandom;
  private medianNormOfModel = 1;

  constructor(dimension: number, seed = 1) {
    if (!Number.isInteger(dimension) || dimension <= 0) {
      throw new Error(`embedding dimension must be a positive integer, got ${dimension}`);
    }
    this.dimension = dimension;
    this.data = new Float32Array(INITIAL_CAPACITY * dimension);
    this.versions = new Uint32Array(INITIAL_CAPACITY);
    this.random = new SeededRandom(seed);
  }

  /** Builds the table a model was trained with: row i is vocabulary[i]. */
  static fromModel(
    vocabulary: readonly string[],
    baseEmbeddings: Float32Array,
    dimension: number,
    seed = 1,
  ): ItemTable {
    if (baseEmbeddings.length !== vocabulary.length * dimension) {
      throw new Error(
        `base embeddings hold ${baseEmbeddings.length} floats, expected ${vocabulary.length} x ${dimension}`,
      );
    }
    const table = new ItemTable(dimension, seed);
    vocabulary.forEach((itemId, row) =>
      table.appendRow(itemId, baseEmbeddings.subarray(row * dimension, (row + 1) * dimension)),
    );
    table.medianNormOfModel = table.medianRowNorm();
    return table;
  }

  /** Median row norm of the seeding model: the scale online updates are measured and kept to. */
  get referenceNorm(): number {
    return this.medianNormOfModel;
  }

  get size(): number {
    return this.rowCount;
  }

  /** The live [N, D] view handed to the model; valid until the next `addItem`. */
  get embeddings(): Float32Array {
    return this.data.subarray(0, this.rowCount * this.dimension);
  }

  rowOf(itemId: string): number | undefined {
    return this.rowByItemId.get(itemId);
  }

  itemIdAt(row: number): string {
    const itemId = this.itemIdByRow[row];
    if (itemId === undefined)
      throw new Error(`row ${row} is outside the table (size ${this.size})`);
    return itemId;
  }

  categoryAt(row: number): string | undefined {
    return this.categoryByRow[row];
  }

  versionOf(itemId: string): number {
    const row = this.rowOf(itemId);
    return row === undefined ? 0 : (this.versions[row] ?? 0);
  }

  /** A live view of one row; writes through (used by the learner). */
  row(row: number): Float32Array {
    return this.data.subarray(row * this.dimension, (row + 1) * this.dimension);
  }

  /** Marks rows as changed by a local update (bumps their versions). */
  touch(rows: Iterable<number>): void {
    for (const row of rows) this.versions[row] = (this.versions[row] ?? 0) + 1;
  }

  /** Records an item's category (for category filters and category-centroid initialisation). */
  setCategory(itemId: string, category: string): void {
    const row = this.rowOf(itemId);
    if (row === undefined || this.categoryByRow[row] === category) return;
    const previous = this.categoryByRow[row];
    if (previous !== undefined) {
      const members = this.rowsByCategory.get(previous) ?? [];
      this.rowsByCategory.set(
        previous,
        members.filter((member) => member !== row),
      );
    }
    this.categoryByRow[row] = category;
    const members = this.rowsByCategory.get(category) ?? [];
    members.push(row);
    this.rowsByCategory.set(category, members);
  }

  /**
   * Adds an item the model has never seen so it can be recommended before any retraining. Its
   * start vector is the centroid of co-occurring items' rows when any are known, else the
   * centroid of its category, else a small seeded random vector. Returns the row (existing items
   * keep theirs).
   */
  addItem(itemId: string, hints: NewItemHints = {}): number {
    const existing = this.rowOf(itemId);
    if (existing !== undefined) return existing;
    const known = (hints.coOccurringItemIds ?? [])
      .map((id) => this.rowOf(id))
      .filter((row): row is number => row !== undefined);
    const categoryRows = hints.category ? (this.rowsByCategory.get(hints.category) ?? []) : [];
    const vector =
      known.length > 0
        ? this.centroid(known)
        : categoryRows.length > 0
          ? this.centroid(categoryRows)
          : this.randomVector();
    const row = this.appendRow(itemId, vector);
    if (hints.category) this.setCategory(itemId, hints.category);
    return row;
  }

  /** Applies a row produced elsewhere; older versions than the local one are ignored. */
  applyRow(update: ItemRowUpdate): boolean {
    if (update.vector.length !== this.dimension) {
      throw new Error(
        `row for ${update.itemId} has ${update.vector.length} values, the table has D=${this.dimension}`,
      );
    }
    const row = this.rowOf(update.itemId) ?? this.appendRow(update.itemId, update.vector);
    if ((this.versions[row] ?? 0) > update.version) return false;
    this.row(row).set(update.vector);
    this.versions[row] = update.version;
    return true;
  }

  /** Items whose row was learned online here or applied from elsewhere (version above 0). */
  learnedItemIds(): string[] {
    const learned: string[] = [];
    for (let row = 0; row < this.rowCount; row++) {
      if ((this.versions[row] ?? 0) > 0) learned.push(this.itemIdAt(row));
    }
    return learned;
  }

  /** A copy of the row as a replicable update. */
  exportRow(itemId: string): ItemRowUpdate {
    const row = this.rowOf(itemId);
    if (row === undefined) throw new Error(`item ${itemId} is not in the table`);
    return { itemId, vector: this.row(row).slice(), version: this.versions[row] ?? 0 };
  }

  /** Scales a row down to at most `maxNorm` (max-norm regularisation: no item becomes a hub). */
  clipRowNorm(row: number, maxNorm: number): void {
    const vector = this.row(row);
    let squared = 0;
    for (let d = 0; d < this.dimension; d++) squared += (vector[d] ?? 0) ** 2;
    if (squared <= maxNorm * maxNorm) return;
    const scale = maxNorm / Math.sqrt(squared);
    for (let d = 0; d < this.dimension; d++) vector[d] = (vector[d] ?? 0) * scale;
  }

  private medianRowNorm(): number {
    if (this.rowCount === 0) return 1;
    const norms = Array.from({ length: this.rowCount }, (_, row) => {
      const vector = this.row(row);
      let squared = 0;
      for (let d = 0; d < this.dimension; d++) squared += (vector[d] ?? 0) ** 2;
      return Math.sqrt(squared);
    }).sort((a, b) => a - b);
    return norms[Math.floor(norms.length / 2)] || 1;
  }

  private appendRow(itemId: string, vector: Float32Array): number {
    if (this.rowCount * this.dimension >= this.data.length) this.grow();
    const row = this.rowCount++;
    this.data.set(vector, row * this.dimension);
    this.rowByItemId.set(itemId, row);
    this.itemIdByRow[row] = itemId;
    return row;
  }

  private grow(): void {
    const data = new Float32Array(this.data.length * 2);
    data.set(this.data);
    this.data = data;
    const versions = new Uint32Array(this.versions.length * 2);
    versions.set(this.versions);
    this.versions = versions;
  }

  private centroid(rows: readonly number[]): Float32Array {
    const sum = new Float32Array(this.dimension);
    for (const row of rows) {
      const vector = this.row(row);
      for (let d = 0; d < this.dimension; d++) sum[d] = (sum[d] ?? 0) + (vector[d] ?? 0);
    }
    for (let d = 0; d < this.dimension; d++) sum[d] = (sum[d] ?? 0) / rows.length;
    return sum;
  }

  private randomVector(): Float32Array {
    const vector = new Float32Array(this.dimension);
    for (let d = 0; d < this.dimension; d++)
      vector[d] = (this.random.next() - 0.5) * RANDOM_INIT_SCALE;
    return vector;
  }
}
