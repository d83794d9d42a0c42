import type { ScoredBatch } from '@kairos/model';
import { TransitionModel } from '../learning/transition-model';
import type { ItemTable } from '../table/item-table';
import type { UserState } from '../users/user-state';
import { AdaptiveBlendWeight } from './adaptive-blend-weight';
import { blendForRow } from './blend-transitions';
import type { TransitionBlendOptions } from './engine-options';
import type { ScoredIndex } from './top-k';

/**
 * The engine's directional next-item term: learns transitions from the event stream, blends
 * them into the model's ranking and tunes the blend weight online from which of the two would
 * have had the user's next item.
 */
export class TransitionBlender {
  private readonly transitions: TransitionModel;
  private readonly blendWeight: AdaptiveBlendWeight;

  constructor(private readonly options: TransitionBlendOptions) {
    this.transitions = new TransitionModel(options);
    const { weightMin: min, weightMax: max, weightStep: step, maxPendingUsers } = options;
    this.blendWeight = new AdaptiveBlendWeight({
      initial: Math.min(max, Math.max(min, options.weight)),
      min,
      max,
      step,
      maxPendingUsers,
    });
  }

  /** Current weight of the transition term (0 when the blend is off). */
  get weight(): number {
    return this.options.weight === 0 ? 0 : this.blendWeight.weight;
  }

  /** One step of a user's stream, `previousItemId` → the item at table row `row`. */
  learn(
    userId: string,
    previousItemId: string,
    event: { itemId: string; timestamp: number },
    row: number,
  ): void {
    this.blendWeight.observeNext(userId, row);
    this.transitions.learn(previousItemId, event.itemId, event.timestamp);
  }

  /** The k best allowed rows for batch row `b`, answering `userId` whose state is `state`. */
  rank(
    request: { userId: string; state: UserState; table: ItemTable },
    scored: ScoredBatch,
    b: number,
    k: number,
    isExcluded: (row: number) => boolean,
  ): ScoredIndex[] {
    const { table } = request;
    const strengthByRow = this.strengths(request.state, table);
    const answer = blendForRow(scored, b, k, table.size, isExcluded, {
      strengthByRow,
      weight: this.weight,
      modelCandidates: this.options.modelCandidates,
    });
    if (answer.tops) this.blendWeight.rememberAnswer(request.userId, answer.tops);
    return answer.picked;
  }

  /** Successors of the user's latest items by table row, the newest item voting the most. */
  private strengths(state: UserState, table: ItemTable): Map<number, number> {
    if (this.options.weight === 0) return new Map();
    const { contextLength, contextDecay } = this.options;
    const newestFirst = state.recentItemIds(contextLength).reverse();
    return this.transitions.scoreSuccessors(newestFirst, contextDecay, (id) => table.rowOf(id));
  }
}
