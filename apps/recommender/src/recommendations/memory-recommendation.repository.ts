import { Injectable } from '@nestjs/common';
import { type SnapshotParticipant, StateSnapshots } from '@kairos/storage';
import { type RecommendationList } from './recommendation';
import { RecommendationRepository } from './recommendation.repository';

/** Every user's list in memory (embedded mode), part of the state snapshot. */
@Injectable()
export class MemoryRecommendationRepository
  extends RecommendationRepository
  implements SnapshotParticipant
{
  readonly snapshotKey = 'recommender.recommendations';
  private lists = new Map<string, RecommendationList>();

  constructor(snapshots: StateSnapshots) {
    super();
    snapshots.register(this);
  }

  findOne(userId: string): Promise<RecommendationList | null> {
    const list = this.lists.get(userId);
    return Promise.resolve(list === undefined ? null : structuredClone(list));
  }

  saveMany(lists: readonly RecommendationList[]): Promise<ReadonlySet<string>> {
    const superseded = new Set<string>();
    for (const list of lists) {
      const storedVersion = this.lists.get(list.userId)?.asOfVersion ?? null;
      if (storedVersion !== null && storedVersion > (list.asOfVersion ?? 0)) {
        superseded.add(list.userId);
        continue;
      }
      this.lists.set(list.userId, {
        userId: list.userId,
        items: list.items.map(({ itemId, score }) => ({ itemId, score })),
        model: { name: list.model.name, version: list.model.version },
        asOfEventId: list.asOfEventId,
        asOfEventTime: list.asOfEventTime,
        asOfVersion: list.asOfVersion,
        computedAt: list.computedAt,
      });
    }
    return Promise.resolve(superseded);
  }

  dump(): unknown {
    return [...this.lists.values()];
  }

  restore(data: unknown): void {
    this.lists = new Map((data as RecommendationList[]).map((list) => [list.userId, list]));
  }
}
