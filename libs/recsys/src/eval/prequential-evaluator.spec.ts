import type {
  Interaction,
  RecommendationRequest,
  RecommendedItem,
  Recommender,
} from '../domain/interaction';
import { runPrequential } from './prequential-evaluator';

/** Recommends `after-<the user's latest item>` and logs every call, to check the order. */
class RecordingRecommender implements Recommender {
  readonly name = 'recording';
  readonly calls: string[] = [];
  private readonly last = new Map<string, string>();

  recommend(requests: readonly RecommendationRequest[]): Promise<RecommendedItem[][]> {
    this.calls.push(`ask:${requests.map((request) => request.userId).join(',')}`);
    return Promise.resolve(
      requests.map((request) => [{ itemId: `after-${this.last.get(request.userId)}`, score: 1 }]),
    );
  }

  observe(events: readonly Interaction[]): void {
    this.calls.push(`learn:${events.map((event) => event.itemId).join(',')}`);
    for (const event of events) this.last.set(event.userId, event.itemId);
  }
}

const event = (userId: string, itemId: string, timestamp: number): Interaction => ({
  userId,
  itemId,
  timestamp,
  type: 'view',
});

const options = {
  microBatchSize: 10,
  excludeSeen: true,
  dropConsecutiveRepeats: true,
  warmupEvents: 0,
  movingAverageWindow: 2,
  plotPoints: 10,
};

describe('runPrequential', () => {
  it('asks before it learns, batches distinct users and scores hits at rank 1', async () => {
    const recommender = new RecordingRecommender();
    const log = [
      event('u1', 'x', 0),
      event('u2', 'x', 1),
      event('u1', 'after-x', 2),
      event('u1', 'after-x', 3), // consecutive repeat: dropped
      event('u2', 'y', 4),
    ];
    const report = await runPrequential(log, [recommender], options);
    // Batch 1 = [u1:x, u2:x] (nobody known yet: no asks); batch 2 = [u1:after-x, u2:y].
    expect(recommender.calls).toEqual(['ask:', 'learn:x,x', 'ask:u1,u2', 'learn:after-x,y']);
    expect(report.droppedConsecutiveRepeats).toBe(1);
    expect(report.evaluatedSteps).toBe(2);
    const [result] = report.recommenders;
    expect(result?.metrics['HR@10']).toBe(0.5);
    expect(result?.metrics['NDCG@10']).toBe(0.5);
    expect(result?.metrics['MRR@20']).toBe(0.5);
    expect(report.catalogSize).toBe(3);
    expect(result?.coverage['@10']).toBeCloseTo(1 / 3);
  });

  it('learns warm-up events without evaluating them', async () => {
    const recommender = new RecordingRecommender();
    const log = [event('u1', 'a', 0), event('u1', 'b', 1), event('u1', 'after-b', 2)];
    const report = await runPrequential(log, [recommender], { ...options, warmupEvents: 2 });
    expect(recommender.calls).toEqual(['learn:a,b', 'ask:u1', 'learn:after-b']);
    expect(report.evaluatedSteps).toBe(1);
    expect(report.recommenders[0]?.metrics['HR@10']).toBe(1);
  });
});
