import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatTable } from '../../../bench/support/stats';

export interface ReportRow {
  readonly fault: string;
  readonly injected: string;
  readonly observed: string;
}

/**
 * Prints what a scenario injected and what it observed as one table (straight to stdout, so jest
 * does not split it into decorated console entries) and keeps it as JSON in test-output/chaos.
 */
export function reportChaos(scenario: string, settings: string, rows: readonly ReportRow[]): void {
  process.stdout.write(
    `\n=== chaos: ${scenario} (${settings})\n${formatTable(rows.map((row) => ({ ...row })))}\n\n`,
  );
  const dir = resolve(__dirname, '../../../test-output/chaos');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    resolve(dir, `${scenario.replace(/[^a-z0-9]+/gi, '-')}.json`),
    `${JSON.stringify({ scenario, settings, rows, at: new Date().toISOString() }, null, 2)}\n`,
  );
}

/** `CHAOS_<NAME>` as a positive integer, or the CI default. */
export function chaosSetting(name: string, ciDefault: number): number {
  const raw = process.env[`CHAOS_${name}`];
  if (raw === undefined || raw === '') return ciDefault;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`CHAOS_${name}=${raw} must be a positive integer`);
  return value;
}

export function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / Math.max(1, whole))}%`;
}
