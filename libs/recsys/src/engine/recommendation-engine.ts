import type { ModelRunner } from '@kairos/model';
import type {
  Interaction,
  RecommendationOptions,
  RecommendationRequest,
  RecommendedItem,
  Recommender,
} from '../domain/interaction';
import { resolveHistory, type HistoryWeighting } from '../learning/history-pooling';
import { probeLinearScoring, type LinearScoring } from '../learning/linear-scoring';
import { OnlineLearner } from '../learning/online-learner';
import { ItemTable, type ItemRowUpdate } from '../table/item-table';
import { PopularityPrior } from '../table/popularity-prior';
import { UserStateStore, type UserState } from '../users/user-state';
import { ConcurrencyGate } from './concurrency-gate';
import { resolveEngineOptions, type RecommendationEngineOptions } from './engine-options';
import { FeatureBatchBuilder, type BatchRow } from './feature-batch-builder';
import { TransitionBlender } from './transition-blender';

/** What one `observe` call changed in the item table: publish these rows as deltas. */
export interface ObserveResult {
  readonly changedItemIds: string[];
}

/**
 * The recommender's core: batched inference through a ModelRunner plus online learning on the
 * live item table. Pure domain (no transport, no storage): the service around it feeds events,
 * asks for recommendations, publishes `observe` deltas and applies rows from other replicas.
 */
export class RecommendationEngine implements Recommender {
  readonly name = 'engine';
  private table: ItemTable;
  private prior: PopularityPrior;
  private readonly users: UserStateStore;
  private readonly learner: OnlineLearner;
  private readonly transitions: TransitionBlender;
  private readonly batchBuilder: FeatureBatchBuilder;
  private readonly weighting: HistoryWeighting;
  private readonly inferenceGate: ConcurrencyGate;

  private constructor(
    private runner: ModelRunner,
    private scoringGeometry: LinearScoring,
    readonly options: RecommendationEngineOptions,
  ) {
    this.table = RecommendationEngine.seedTable(runner, options.seed);
    this.prior = new PopularityPrior({ halfLifeMs: options.popularityHalfLifeMs });
    this.users = new UserStateStore(
      { historyLength: options.historyLength, maxSeenItems: options.maxSeenItemsPerUser },
      options.maxUsers,
    );
    this.learner = new OnlineLearner(options.learner, scoringGeometry);
    this.transitions = new TransitionBlender(options.transitions);
    this.batchBuilder = new FeatureBatchBuilder(options.historyLength);
    this.inferenceGate = new ConcurrencyGate(options.maxConcurrentBatches);
    this.weighting = {
      recencyDecay: options.recencyDecay,
      eventTypeWeights: options.eventTypeWeights,
    };
  }

  /** Probes the model's scoring geometry (one inference call), then seeds the table from it. */
  static async create(
    runner: ModelRunner,
    overrides: Parameters<typeof resolveEngineOptions>[0] = {},
  ): Promise<RecommendationEngine> {
    const options = resolveEngineOptions(overrides);
    return new RecommendationEngine(runner, await probeLinearScoring(runner), options);
  }

  get modelVersion(): string {
    return `${this.runner.manifest.name}/${this.runner.manifest.version}`;
  }

  get scoring(): LinearScoring {
    return this.scoringGeometry;
  }

  /** Current weight of the directional transition term (adapts online; 0 = off). */
  get transitionWeight(): number {
    return this.transitions.weight;
  }

  get itemCount(): number {
    return this.table.size;
  }

  /**
   * Switches to another model: the table is re-seeded from its base embeddings (online rows of
   * the old model live in another space), popularity carries over by item id, user histories are
   * kept (they hold item ids) and long-term vectors restart.
   */
  async activateModel(runner: ModelRunner): Promise<void> {
    const scoring = await probeLinearScoring(runner);
    const oldTable = this.table;
    const table = RecommendationEngine.seedTable(runner, this.options.seed);
    for (let row = 0; row < oldTable.size; row++) {
      const category = oldTable.categoryAt(row);
      if (category !== undefined) table.setCategory(oldTable.itemIdAt(row), category);
    }
    this.prior = this.prior.remap(
      (oldRow) => table.rowOf(oldTable.itemIdAt(oldRow)),
      this.options.popularityHalfLifeMs,
    );
    this.users.resetLongTerm();
    this.learner.reset(scoring);
    this.table = table;
    this.runner = runner;
    this.scoringGeometry = scoring;
  }

  async recommend(
    requests: readonly RecommendationRequest[],
    options: RecommendationOptions,
  ): Promise<RecommendedItem[][]> {
    const answers: RecommendedItem[][] = [];
    for (let start = 0; start < requests.length; start += this.options.maxBatchSize) {
      const chunk = requests.slice(start, start + this.options.maxBatchSize);
      // The whole chunk waits, not only the run: building the batch allocates its mask.
      answers.push(...(await this.inferenceGate.run(() => this.recommendChunk(chunk, options))));
    }
    return answers;
  }

  observe(events: readonly Interaction[]): ObserveResult {
    const changedRows = new Set<number>();
    for (const event of events) this.observeOne(event, changedRows);
    return { changedItemIds: [...changedRows].map((row) => this.table.itemIdAt(row)) };
  }

  /** True when the engine holds history for this user (a personalised answer is possible). */
  knowsUser(userId: string): boolean {
    return (this.users.get(userId)?.length ?? 0) > 0;
  }

  /** Version of an item's live row (bumped by every local step), or undefined for an unknown item. */
  rowVersion(itemId: string): number | undefined {
    return this.table.rowOf(itemId) === undefined
      ? undefined
      : this.table.exportRow(itemId).version;
  }

  /**
   * A user's long-term vector, to persist it; undefined before the user's first event. A live
   * view into shared storage (the slot goes to another user once this one is evicted): copy it
   * before any await.
   */
  userEmbedding(userId: string): Float32Array | undefined {
    const state = this.users.get(userId);
    return state === undefined ? undefined : this.users.longTermOf(state);
  }

  /** Restores a persisted long-term vector for a user this engine has not seen since it started. */
  restoreUserEmbedding(userId: string, vector: Float32Array): void {
    if (vector.length !== this.runner.manifest.embeddingDimension) return;
    this.users.restoreLongTerm(this.users.getOrCreate(userId), vector);
  }

  /** The current rows of items (e.g. those an `observe` changed), ready to replicate. */
  exportRows(itemIds: readonly string[]): ItemRowUpdate[] {
    return itemIds.map((itemId) => this.table.exportRow(itemId));
  }

  /** Items whose live row differs from the model's base row (learned here or replicated). */
  learnedItemIds(): string[] {
    return this.table.learnedItemIds();
  }

  /** Applies a row learned by another replica; stale versions are ignored. */
  applyRow(update: ItemRowUpdate): boolean {
    return this.table.applyRow(update);
  }

  setItemCategory(itemId: string, category: string): void {
    this.table.addItem(itemId, { category });
    this.table.setCategory(itemId, category);
  }

  private observeOne(event: Interaction, changedRows: Set<number>): void {
    const user = this.users.getOrCreate(event.userId);
    const typeWeight = this.options.eventTypeWeights[event.type];
    let row = this.table.rowOf(event.itemId);
    if (row === undefined) {
      row = this.table.addItem(event.itemId, {
        coOccurringItemIds: user.recentItemIds(),
        category: event.category,
      });
      changedRows.add(row);
    } else if (event.category !== undefined) {
      this.table.setCategory(event.itemId, event.category);
    }
    // Staying on the same item is not a transition (the trainer collapses these repeats too).
    const isTransition = typeWeight > 0 && user.lastItemId !== event.itemId;
    if (isTransition && user.lastItemId !== undefined) {
      this.transitions.learn(event.userId, user.lastItemId, event, row);
    }
    if (isTransition) {
      const history = resolveHistory(user, this.table, this.weighting, this.options.historyLength);
      for (const changed of this.learner.learnTransition(this.table, history, row)) {
        changedRows.add(changed);
      }
    }
    this.prior.add(row, 1, event.timestamp);
    this.learner.recordTraffic(row);
    // The table's own id string: the event's copy would stay alive in the history otherwise.
    user.record(this.table.itemIdAt(row), event.type, isTransition);
    if (typeWeight > 0) {
      this.users.blendLongTerm(user, this.table.row(row), this.options.longTermRate);
    }
  }

  private async recommendChunk(
    requests: readonly RecommendationRequest[],
    options: RecommendationOptions,
  ): Promise<RecommendedItem[][]> {
    const answers: RecommendedItem[][] = requests.map(() => []);
    const warm: { position: number; row: BatchRow; state: UserState }[] = [];
    requests.forEach((request, position) => {
      const state = this.users.get(request.userId);
      const row = this.batchRow(state, options);
      if (state && row.history.rows.length > 0) warm.push({ position, row, state });
      else answers[position] = this.trending(row, options);
    });
    if (warm.length === 0) return answers;

    // The table this batch was built from: rows are read back through it even if a model
    // activation swaps the engine's table while the batch is being scored.
    const table = this.table;
    const itemCount = table.size;
    const batch = this.batchBuilder.build(
      warm.map((entry) => entry.row),
      table,
      this.prior.priorVector(itemCount),
    );
    try {
      const scored = await this.runner.run(batch);
      warm.forEach((entry, b) => {
        const maskOffset = b * itemCount;
        const picked = this.transitions.rank(
          { userId: requests[entry.position]?.userId ?? '', state: entry.state, table },
          scored,
          b,
          options.k,
          (row) => batch.excludeMask[maskOffset + row] === 1,
        );
        answers[entry.position] = picked.map(({ index, score }) => ({
          itemId: table.itemIdAt(index),
          score: Math.fround(score),
        }));
      });
      return answers;
    } finally {
      this.batchBuilder.release(batch);
    }
  }

  private batchRow(state: UserState | undefined, options: RecommendationOptions): BatchRow {
    const excludedRows: number[] = [];
    const exclude = (itemId: string): void => {
      const row = this.table.rowOf(itemId);
      if (row !== undefined) excludedRows.push(row);
    };
    if (options.excludeSeen && state) state.seen.forEach(exclude);
    options.unavailable?.forEach(exclude);
    const history = state
      ? resolveHistory(state, this.table, this.weighting, this.options.historyLength)
      : { rows: [], weights: [] };
    return {
      history,
      userEmbedding: state === undefined ? undefined : this.users.longTermOf(state),
      excludedRows,
      category: options.category,
    };
  }

  /** No usable history: the decayed-popularity fallback, with the same exclusions. */
  private trending(row: BatchRow, options: RecommendationOptions): RecommendedItem[] {
    const excluded = new Set(row.excludedRows);
    const rows = this.prior.trending(
      options.k,
      this.table.size,
      (item) =>
        excluded.has(item) ||
        (options.category !== undefined && this.table.categoryAt(item) !== options.category),
    );
    return rows.map((item) => ({
      itemId: this.table.itemIdAt(item),
      score: Math.fround(this.prior.countOf(item)),
    }));
  }

  private static seedTable(runner: ModelRunner, seed: number): ItemTable {
    return ItemTable.fromModel(
      runner.vocabulary,
      runner.baseEmbeddings,
      runner.manifest.embeddingDimension,
      seed,
    );
  }
}
