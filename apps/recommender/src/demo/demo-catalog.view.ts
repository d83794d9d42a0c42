import { type ItemMessage } from '@kairos/contracts';

export interface DemoCatalogItem {
  readonly itemId: string;
  readonly title: string;
  readonly category: string | null;
  readonly price: number | null;
  readonly available: boolean;
}

export interface DemoCatalogPage {
  readonly categories: ReadonlyArray<{ readonly name: string; readonly items: number }>;
  readonly category: string | null;
  readonly total: number;
  readonly items: readonly DemoCatalogItem[];
}

/**
 * One page of the catalog the recommender knows, for browsing: every category with its size
 * (by first category, as the page groups them), and the first `limit` items of `category`
 * (all items when null) in item-id order, so the same request shows the same items.
 */
export function browseCatalog(
  items: Iterable<ItemMessage>,
  category: string | null,
  limit: number,
): DemoCatalogPage {
  const sizes = new Map<string, number>();
  const matching: ItemMessage[] = [];
  for (const item of items) {
    const first = item.categories[0];
    if (first !== undefined) sizes.set(first, (sizes.get(first) ?? 0) + 1);
    if (category === null || item.categories.includes(category)) matching.push(item);
  }
  matching.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  return {
    categories: [...sizes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, size]) => ({ name, items: size })),
    category,
    total: matching.length,
    items: matching.slice(0, limit).map((item) => ({
      itemId: item.itemId,
      title: item.title ?? item.itemId,
      category: item.categories[0] ?? null,
      price: typeof item.properties.price === 'number' ? item.properties.price : null,
      available: item.available,
    })),
  };
}
