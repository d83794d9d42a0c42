import { setMostRecent } from '../domain/recency-map';
import { indexOfPackedRow, packedRowAt, packRows, type PackedRows } from './packed-rows';
import { RowFlags } from './row-flags';

const IN_BLENDED = 1;
const IN_MODEL = 2;
const IN_TRANSITION = 4;
export interface AdaptiveBlendWeightOptions {
  /** Weight before any evidence. */
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  /** Change of log(weight) per answer where exactly one component had the next item. */
  readonly step: number;
  /** Users whose latest answer is remembered; the least recently asked are forgotten. */
  readonly maxPendingUsers: number;
}

/** A blended answer and the two rankings it was made from, as table rows. */
export interface ComponentTops {
  readonly blendedTop: readonly number[];
  readonly modelTop: readonly number[];
  readonly transitionTop: readonly number[];
}

/**
 * Learns online how much the transition term should weigh against the model. The engine keeps
 * each user's latest answer with the two rankings it blended; when the user's next item arrives
 * and the answer missed it although only the transition ranking had it, the weight goes up;
 * missed although only the model had it, down (multiplicatively, within bounds). It moves only
 * on hits the blend lost, so it settles where raising or lowering the weight would lose about as
 * many as it wins: dense, directional logs (long browsing chains) end up trusting transitions,
 * sparse ones, where a transition seen once is mostly noise, the model. Deterministic: it depends
 * only on the order of answers and events.
 */
export class AdaptiveBlendWeight {
  private logWeight: number;
  /**
   * Per user, the rows the latest answer lost that only one component had, packed as
   * [t, ...only in the transition list (t rows), ...only in the model's]. That is all
   * `observeNext` needs, in 2 bytes per row: kept for up to `maxPendingUsers` users, an object
   * with an Int32Array per user was the engine's largest per-user cost after the lists.
   */
  private readonly pending = new Map<string, PackedRows>();
  private readonly marks = new RowFlags();

  constructor(private readonly options: AdaptiveBlendWeightOptions) {
    if (!(options.min > 0 && options.min <= options.initial && options.initial <= options.max)) {
      throw new Error(
        `blend weight needs 0 < min <= initial <= max, got ${options.min}, ${options.initial}, ${options.max}`,
      );
    }
    if (!(options.step >= 0)) throw new Error(`blend step must be >= 0, got ${options.step}`);
    this.logWeight = Math.log(options.initial);
  }

  get weight(): number {
    return Math.exp(this.logWeight);
  }

  /** Remembers what each component ranked for `userId` in the answer just given. */
  rememberAnswer(userId: string, tops: ComponentTops): void {
    if (this.options.step === 0) return;
    // Row flags, not Sets: with k = 100 this runs on three 100-row lists per precomputed list.
    const marks = this.marks;
    marks.reset();
    for (const row of tops.blendedTop) marks.add(row, IN_BLENDED);
    for (const row of tops.modelTop) marks.add(row, IN_MODEL);
    for (const row of tops.transitionTop) marks.add(row, IN_TRANSITION);
    const transitionOnly = tops.transitionTop.filter(
      (row) => (marks.get(row) & (IN_MODEL | IN_BLENDED)) === 0,
    );
    const modelOnly = tops.modelTop.filter(
      (row) => (marks.get(row) & (IN_TRANSITION | IN_BLENDED)) === 0,
    );
    const lost = packRows([transitionOnly.length, ...transitionOnly, ...modelOnly]);
    setMostRecent(this.pending, userId, lost, this.options.maxPendingUsers);
  }

  /** The user moved on to `row`: a miss one component alone had moves the weight its way. */
  observeNext(userId: string, row: number): void {
    const lost = this.pending.get(userId);
    if (lost === undefined) return;
    this.pending.delete(userId);
    const position = indexOfPackedRow(lost, row, 1);
    if (position < 0) return;
    const { step, min, max } = this.options;
    const onlyTransition = position <= packedRowAt(lost, 0);
    const moved = this.logWeight + (onlyTransition ? step : -step);
    this.logWeight = Math.min(Math.log(max), Math.max(Math.log(min), moved));
  }
}
