/** What decides which of two versions is newer. */
export interface Ordered {
  readonly name: string;
  readonly version: string;
  /** ISO-8601 from the manifest; null when the manifest never parsed. */
  readonly created: string | null;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Newest first means: the later `created`, then the higher version in natural order
 * (`10` after `9`, `2026-05-01.2` after `2026-05-01.1`), then the name, so the order is total.
 * Returns > 0 when `left` is newer.
 */
export function compareVersions(left: Ordered, right: Ordered): number {
  const leftCreated = createdMs(left);
  const rightCreated = createdMs(right);
  if (leftCreated !== rightCreated) return leftCreated > rightCreated ? 1 : -1;
  return natural.compare(left.version, right.version) || natural.compare(left.name, right.name);
}

function createdMs(entry: Ordered): number {
  const ms = entry.created === null ? Number.NaN : Date.parse(entry.created);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
