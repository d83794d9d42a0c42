import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type EventType } from '@kairos/contracts';

/** An event as a frontend POSTs it (explicit eventId and time, so retries are exact repeats). */
export interface ClientEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly itemId: string;
  readonly type: EventType;
  readonly timestamp: number;
  readonly context: { readonly category: string };
}

interface CatalogLine {
  readonly itemId: string;
  readonly categories: readonly string[];
}

/** Item ids the committed default model was trained on, so recommendations are real ones. */
function demoCatalog(): CatalogLine[] {
  return readFileSync(resolve(__dirname, '../../../demo/catalog.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CatalogLine);
}

/** Small seeded PRNG (mulberry32): the same seed gives the same stream on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function typeOf(roll: number): EventType {
  if (roll < 0.75) return 'view';
  if (roll < 0.9) return 'click';
  if (roll < 0.97) return 'add_to_cart';
  return 'purchase';
}

export interface StreamOptions {
  readonly seed?: number;
  /** Event time of the first event and the span the stream covers (default: the last 12 h). */
  readonly startMs?: number;
  readonly spanMs?: number;
  /** Users are `<userPrefix>-u<n>` (default: the label), so several streams can share users. */
  readonly userPrefix?: string;
}

/**
 * `count` events of `users` users over the demo catalog, interleaved, in event-time order (by
 * default the last 12 hours, inside ingest's accepted age). Each user browses mostly one
 * category, as shoppers do. `label` makes the event ids unique to one run.
 */
export function clientStream(
  count: number,
  users: number,
  label: string,
  options: StreamOptions = {},
): ClientEvent[] {
  const next = random(options.seed ?? 7);
  const catalog = demoCatalog();
  const byCategory = new Map<string, CatalogLine[]>();
  for (const line of catalog) {
    const category = line.categories[0] ?? 'none';
    byCategory.set(category, [...(byCategory.get(category) ?? []), line]);
  }
  const categories = [...byCategory.keys()];
  const start = options.startMs ?? Date.now() - 12 * 3_600_000;
  const spacingMs = Math.max(1, Math.floor((options.spanMs ?? 11 * 3_600_000) / count));
  const userPrefix = options.userPrefix ?? label;
  const events: ClientEvent[] = [];
  for (let index = 0; index < count; index++) {
    const user = Math.floor(next() * users);
    const favourite = categories[user % categories.length] ?? 'none';
    const pool = next() < 0.8 ? (byCategory.get(favourite) ?? catalog) : catalog;
    const item = pool[Math.floor(next() * pool.length)] ?? catalog[0];
    events.push({
      eventId: `${label}-${index}`,
      userId: `${userPrefix}-u${user}`,
      itemId: item?.itemId ?? 'item-00001',
      type: typeOf(next()),
      timestamp: start + index * spacingMs,
      context: { category: item?.categories[0] ?? 'none' },
    });
  }
  return events;
}
