/**
 * Logical topic names. The physical name is `${KAFKA_TOPIC_PREFIX}${name}` so several
 * environments can share one cluster; code always speaks the logical name.
 */
export const Topic = {
  Events: 'events',
  SessionFeatures: 'session-features',
  Items: 'items',
  ItemEmbeddings: 'item-embeddings',
  EventsDlq: 'events.dlq',
  SessionFeaturesDlq: 'session-features.dlq',
} as const;

export type TopicName = (typeof Topic)[keyof typeof Topic];

export interface TopicSpec {
  readonly name: TopicName;
  /**
   * Compacted topics hold the latest value per key (catalog items, embedding rows), so a
   * starting consumer can rebuild state from them; the others are plain event logs.
   */
  readonly compacted: boolean;
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: Topic.Events, compacted: false },
  { name: Topic.SessionFeatures, compacted: false },
  { name: Topic.Items, compacted: true },
  { name: Topic.ItemEmbeddings, compacted: true },
  { name: Topic.EventsDlq, compacted: false },
  { name: Topic.SessionFeaturesDlq, compacted: false },
];

export function isTopicName(value: string): value is TopicName {
  return TOPIC_SPECS.some((spec) => spec.name === value);
}
