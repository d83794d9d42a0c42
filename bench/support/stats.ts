import os from 'node:os';

/** Small helpers so every benchmark reports the same way: medians over runs, ratios, a table. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The q-quantile (0..1) of unsorted values, nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

export function printTable(rows: ReadonlyArray<Record<string, string | number>>): void {
  if (rows.length > 0) console.log(formatTable(rows));
}

/** Rows as a Markdown-style table with aligned columns (the keys of the first row). */
export function formatTable(rows: ReadonlyArray<Record<string, string | number>>): string {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number | undefined): string =>
    typeof value === 'number'
      ? Number.isInteger(value)
        ? String(value)
        : value.toFixed(2)
      : (value ?? '');
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  );
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(columns.map((column) => cell(row[column])))),
  ].join('\n');
}

export function machineDescription(): string {
  return `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Medians per metric over runs, printed as a table with one column per run. */
export function summarizeRuns(runs: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const metrics = Object.keys(runs[0] ?? {});
  const summary = Object.fromEntries(
    metrics.map((metric) => [metric, median(runs.map((r) => r[metric] ?? Number.NaN))]),
  );
  printTable(
    metrics.map((metric) => ({
      metric,
      ...Object.fromEntries(runs.map((r, i) => [`run ${i + 1}`, r[metric] ?? Number.NaN])),
      median: summary[metric] ?? Number.NaN,
    })),
  );
  return summary;
}
