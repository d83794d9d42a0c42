/**
 * The value of a record on the compacted `items` topic, keyed by itemId. A null value
 * (tombstone) deletes the item.
 */
export interface ItemMessage {
  readonly itemId: string;
  readonly title: string | null;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly available: boolean;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** Epoch milliseconds when ingest accepted the update. */
  readonly updatedAt: number;
}
