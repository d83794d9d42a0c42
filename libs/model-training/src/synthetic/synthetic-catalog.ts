import { SeededRandom } from '../random/seeded-random';
import { ADJECTIVES, CATEGORY_WORDS } from './word-lists';

/** One catalog line: the shape of `PUT /v1/items/:itemId` (ItemUpsertDto) plus the item id. */
export interface SyntheticCatalogItem {
  itemId: string;
  title: string;
  categories: string[];
  tags: string[];
  available: boolean;
  properties: { price: number; cluster: number };
}

export interface SyntheticCatalog {
  items: SyntheticCatalogItem[];
  /** Item rows of each cluster, in chain order (browsing tends to move along the chain). */
  clusterMembers: number[][];
  clusterOfItem: Int32Array;
  /** Zipf-like popularity weight per item row. */
  popularity: Float64Array;
}

const ZIPF_EXPONENT = 0.9;
const UNAVAILABLE_SHARE = 0.03;

export function clusterName(cluster: number): string {
  const words = CATEGORY_WORDS[cluster % CATEGORY_WORDS.length];
  const round = Math.floor(cluster / CATEGORY_WORDS.length);
  return round === 0 ? (words?.category ?? 'Misc') : `${words?.category ?? 'Misc'} ${round + 1}`;
}

/** Items in clusters (one category each), readable titles, Zipf popularity over a random order. */
export function generateSyntheticCatalog(
  itemCount: number,
  clusterCount: number,
  random: SeededRandom,
): SyntheticCatalog {
  if (itemCount < clusterCount)
    throw new Error(`need at least one item per cluster (${clusterCount})`);
  const clusterOfItem = Int32Array.from({ length: itemCount }, (_, row) =>
    // The first `clusterCount` items seed every cluster, the rest land anywhere.
    row < clusterCount ? row : random.nextInt(clusterCount),
  );
  const clusterMembers: number[][] = Array.from({ length: clusterCount }, () => []);
  clusterOfItem.forEach((cluster, row) => clusterMembers[cluster]?.push(row));
  clusterMembers.forEach((members) => random.shuffle(members));

  const popularityRank = Array.from({ length: itemCount }, (_, row) => row);
  random.shuffle(popularityRank);
  const popularity = new Float64Array(itemCount);
  popularityRank.forEach((row, rank) => (popularity[row] = 1 / (rank + 1) ** ZIPF_EXPONENT));

  const items: SyntheticCatalogItem[] = new Array<SyntheticCatalogItem>(itemCount);
  clusterMembers.forEach((members, cluster) => {
    const nouns = CATEGORY_WORDS[cluster % CATEGORY_WORDS.length]?.nouns ?? ['Item'];
    const names = ADJECTIVES.flatMap((adjective) => nouns.map((noun) => `${adjective} ${noun}`));
    random.shuffle(names);
    members.forEach((row, index) => {
      const series = Math.floor(index / names.length);
      const baseName = names[index % names.length] ?? 'Item';
      items[row] = {
        itemId: `item-${String(row + 1).padStart(5, '0')}`,
        title: series === 0 ? baseName : `${baseName} Mk ${series + 1}`,
        categories: [clusterName(cluster)],
        tags: [baseName.split(' ')[0]?.toLowerCase() ?? 'item'],
        available: random.next() >= UNAVAILABLE_SHARE,
        properties: { price: Math.round((5 + random.nextExponential(60)) * 100) / 100, cluster },
      };
    });
  });
  return { items, clusterMembers, clusterOfItem, popularity };
}
