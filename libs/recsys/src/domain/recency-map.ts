/**
 * Stores `value` under `key` as the most recent entry of an insertion-ordered Map, then drops
 * the oldest entries beyond `capacity`. Map order is recency: the bound forgets whatever was
 * touched longest ago (users, transition sources, cached lists).
 */
export function setMostRecent<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > capacity) {
    const oldest = map.keys().next();
    if (oldest.done === true) return;
    map.delete(oldest.value);
  }
}
