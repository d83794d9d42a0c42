import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ENTITY_ID_PATTERN, ItemUpsertDto, validateDto } from '@kairos/contracts';

/** The documented demo catalog the default model was trained on (demo/README.md). */
export const DEMO_CATALOG_FILE = resolve('demo/catalog.jsonl');

export interface DemoCatalogEntry {
  readonly itemId: string;
  /** The body of `PUT /v1/items/:itemId`. */
  readonly item: ItemUpsertDto;
}

/**
 * Reads the demo catalog (one JSON object per line: `itemId` plus the PUT body), validating
 * each line with the same DTO as the HTTP API, so a bad line fails here naming its number.
 */
export async function readDemoCatalog(file = DEMO_CATALOG_FILE): Promise<DemoCatalogEntry[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const entries: DemoCatalogEntry[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const { itemId, ...body } = JSON.parse(line) as { itemId?: unknown };
    if (typeof itemId !== 'string' || !ENTITY_ID_PATTERN.test(itemId))
      throw new Error(`${file}:${index + 1}: itemId missing or malformed`);
    const checked = validateDto(ItemUpsertDto, body);
    if ('issues' in checked) {
      const reasons = checked.issues.map((issue) => `${issue.field}: ${issue.reason}`);
      throw new Error(`${file}:${index + 1}: ${reasons.join('; ')}`);
    }
    entries.push({ itemId, item: checked.value });
  }
  return entries;
}

/**
 * Puts every entry into the catalog through `upsert` (ingest's catalog service in one process,
 * or a `PUT /v1/items/:itemId` against a remote ingest), `concurrency` at a time, in file order
 * within each slice. Idempotent: an item put twice is the same item.
 */
export async function seedDemoCatalog(
  entries: readonly DemoCatalogEntry[],
  upsert: (itemId: string, item: ItemUpsertDto) => Promise<unknown>,
  concurrency = 32,
): Promise<number> {
  for (let start = 0; start < entries.length; start += concurrency) {
    await Promise.all(
      entries.slice(start, start + concurrency).map(({ itemId, item }) => upsert(itemId, item)),
    );
  }
  return entries.length;
}
