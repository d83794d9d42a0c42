/**
 * Stores `value` under `key` as the most recent entry of an insertion-ordered Map, then drops
 * the oldest entries beyond `capacity`. Map order is recency: the bound forgets whatever was
 * touched longest ago (users, transition sources, cached lists). `onEvict` sees each value the
 * bound drops (not one replaced under the same key).
 */
export function setMostRecent<K, V>(
  map: Map<K, V>,
  key: K,
  value: V,
  capacity: number,
  onEvict?: (value: V) => void,
): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > capacity) {
    const oldest = map.entries().next();
    if (oldest.done === true) return;
    map.delete(oldest.value[0]);
    onEvict?.(oldest.value[1]);
  }
}
