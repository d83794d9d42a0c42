import type { PrequentialReport } from './prequential-evaluator';

const METRIC_COLUMNS = ['HR@10', 'NDCG@10', 'MRR@10', 'HR@20', 'NDCG@20', 'MRR@20'] as const;

/** A fixed-width table of every recommender's numbers, for stdout. */
export function formatReportTable(report: PrequentialReport): string {
  const header = ['recommender', ...METRIC_COLUMNS, 'cov@10', 'cov@20', 'ms/ask', 'ms/learn'];
  const rows = report.recommenders.map((result) => [
    result.name,
    ...METRIC_COLUMNS.map((metric) => (result.metrics[metric] ?? 0).toFixed(4)),
    result.coverage['@10'].toFixed(4),
    result.coverage['@20'].toFixed(4),
    result.msPerStep.recommend.toFixed(4),
    result.msPerStep.observe.toFixed(4),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const summary =
    `${report.events} events (${report.droppedConsecutiveRepeats} consecutive repeats dropped), ` +
    `${report.evaluatedSteps} evaluated steps (${report.revisitTargets} revisits), ` +
    `${report.users} users, ${report.catalogSize} items`;
  return [summary, line(header), ...rows.map(line)].join('\n');
}

/** Relative HR@10 lift of `name` over the best other recommender (0.2 = +20%). */
export function liftOverBestBaseline(
  report: PrequentialReport,
  name: string,
): { best: string; lift: number } | undefined {
  const subject = report.recommenders.find((result) => result.name === name);
  const others = report.recommenders.filter((result) => result.name !== name);
  if (!subject || others.length === 0) return undefined;
  const best = others.reduce((a, b) =>
    (a.metrics['HR@10'] ?? 0) >= (b.metrics['HR@10'] ?? 0) ? a : b,
  );
  const baseline = best.metrics['HR@10'] ?? 0;
  const value = subject.metrics['HR@10'] ?? 0;
  return { best: best.name, lift: baseline > 0 ? value / baseline - 1 : Number.POSITIVE_INFINITY };
}
