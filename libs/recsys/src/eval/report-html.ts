import type { PrequentialReport } from './prequential-evaluator';
import { formatReportTable } from './report-table';

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const WIDTH = 820;
const HEIGHT = 360;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 40 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Inline SVG: moving-average HR@10 against evaluated steps, one line per recommender. */
export function hitRateSvg(report: PrequentialReport): string {
  const curves = report.recommenders.map((result) => result.hitRateCurve);
  const maxStep = Math.max(1, ...curves.flat().map((point) => point.step));
  const maxValue = Math.max(0.01, ...curves.flat().map((point) => point.value)) * 1.1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (step: number): number => MARGIN.left + (step / maxStep) * plotWidth;
  const y = (value: number): number => MARGIN.top + plotHeight - (value / maxValue) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="moving average HR@10">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (maxValue * tick) / 4;
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" font-size="11" text-anchor="end">${value.toFixed(3)}</text>`,
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#eee"/>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" font-size="12" text-anchor="middle">evaluated steps (of ${maxStep})</text>`,
  );
  report.recommenders.forEach((result, index) => {
    const color = COLORS[index % COLORS.length] ?? '#000';
    const points = result.hitRateCurve
      .map((point) => `${x(point.step).toFixed(1)},${y(point.value).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>`,
      `<text x="${MARGIN.left + 8}" y="${MARGIN.top + 16 + index * 15}" font-size="12" fill="${color}">${escapeHtml(result.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A self-contained report page (no external assets): the table, the curve and the raw JSON. */
export function renderHtmlReport(
  report: PrequentialReport,
  title: string,
  context: Record<string, unknown>,
): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:980px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Results</h2>
<pre>${escapeHtml(formatReportTable(report))}</pre>
<h2>Moving-average HR@10 (window ${report.options.movingAverageWindow} steps)</h2>
${hitRateSvg(report)}
<h2>Run</h2>
<pre>${escapeHtml(JSON.stringify(context, null, 2))}</pre>
</body></html>
`;
}
