import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DASHBOARD = resolve(__dirname, '../../deploy/grafana/dashboards/kairos.json');

/** PromQL words that look like metric names but are functions, operators or modifiers. */
const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'le',
  'topk',
  'bottomk',
  'delta',
  'deriv',
  'abs',
  'clamp_min',
  'clamp_max',
  'time',
]);

/** Metric names an expression selects: identifiers outside label matchers, braces and ranges. */
export function metricNamesIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const withoutGrouping = withoutLabels.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  return [...withoutGrouping.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .map((match) => match[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}

/** Every (panel, metric) pair the provisioned Grafana dashboard queries. */
export function dashboardQueries(): Array<{ panel: string; metric: string }> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      metricNamesIn(target.expr).map((metric) => ({ panel: panel.title, metric })),
    ),
  );
}

/** Series names in a Prometheus exposition (`# TYPE` lines; histograms with their suffixes). */
export function exposedSeries(exposition: string): Set<string> {
  const series = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    if (name === undefined) continue;
    const suffixes = type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    for (const suffix of suffixes) series.add(`${name}${suffix}`);
  }
  return series;
}
