import type { Interaction } from '../domain/interaction';
import { ItemKnnRecommender } from './item-knn.baseline';
import { MostPopularRecommender, RecentPopularRecommender } from './popularity.baselines';

const hour = 3_600_000;
const event = (userId: string, itemId: string, timestamp: number): Interaction => ({
  userId,
  itemId,
  timestamp,
  type: 'view',
});

async function topIds(
  recommender: MostPopularRecommender | RecentPopularRecommender | ItemKnnRecommender,
  userId: string,
  k: number,
): Promise<string[]> {
  const [answer] = await recommender.recommend([{ userId }], { k, excludeSeen: true });
  return (answer ?? []).map((item) => item.itemId);
}

describe('baselines', () => {
  // x is popular long ago, y recently.
  const log = [
    event('u1', 'x', 0),
    event('u2', 'x', 1),
    event('u3', 'x', 2),
    event('u4', 'y', 10 * hour),
    event('u5', 'y', 10 * hour + 1),
    event('u6', 'z', 10 * hour + 2),
  ];

  it('MostPopular ranks by all-time counts and leaves out seen items', async () => {
    const recommender = new MostPopularRecommender();
    recommender.observe(log);
    expect(await topIds(recommender, 'someone', 3)).toEqual(['x', 'y', 'z']);
    expect(await topIds(recommender, 'u1', 3)).toEqual(['y', 'z']);
  });

  it('RecentPopular forgets events older than its window', async () => {
    const recommender = new RecentPopularRecommender(hour);
    recommender.observe(log);
    expect(await topIds(recommender, 'someone', 3)).toEqual(['y', 'z']);
  });

  it('ItemKNN recommends neighbours of the latest item, then fills with popularity', async () => {
    const recommender = new ItemKnnRecommender();
    recommender.observe([
      event('a', 'p', 0),
      event('a', 'q', 1),
      event('b', 'q', 2),
      event('b', 'r', 3),
      event('c', 'p', 4),
      event('c', 'q', 5),
      event('d', 'q', 6),
      event('d', 'r', 7),
      event('d', 'r', 8),
      event('e', 's', 9),
      event('e', 's', 10),
      event('e', 's', 11),
    ]);
    recommender.observe([event('new', 'p', 20)]);
    // p's only neighbour is q; the rest is popularity order (s: 3 views, r: 3 views).
    expect(await topIds(recommender, 'new', 3)).toEqual(['q', 'r', 's']);
  });
});
