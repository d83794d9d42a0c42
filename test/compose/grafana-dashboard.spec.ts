import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@kairos/config';
import { ConsumerLagMonitor, TopicAdminService } from '@kairos/messaging';
import { httpMetricsMiddleware } from '@kairos/telemetry';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { FeatureMetrics } from '../../apps/feature/src/feature.metrics';
import { IngestMetrics } from '../../apps/ingest/src/ingest.metrics';
import { ModelMetrics } from '../../apps/recommender/src/models/model.metrics';
import { RecommenderMetrics } from '../../apps/recommender/src/recommender.metrics';

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
function metricNamesIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const withoutGrouping = withoutLabels.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  return [...withoutGrouping.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .map((match) => match[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}

/** Every series name the three apps register, from their own metric classes. */
function exportedSeries(): Set<string> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  httpMetricsMiddleware(registry);
  new IngestMetrics(registry);
  new FeatureMetrics(registry);
  new RecommenderMetrics(registry);
  new ModelMetrics(registry);
  const config = loadConfig('feature', {
    KAFKA_BROKERS: '127.0.0.1:9',
    MONGODB_URI: 'mongodb://127.0.0.1:9/none',
    KAIROS_AUTH: 'off',
  });
  new ConsumerLagMonitor(
    new TopicAdminService(config),
    { groupId: 'feature', topics: [] },
    registry,
  );
  const series = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const suffixes = metric instanceof Histogram ? ['_bucket', '_sum', '_count'] : [''];
    for (const suffix of suffixes) series.add(`${metric.name}${suffix}`);
  }
  return series;
}

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  const queried = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      metricNamesIn(target.expr).map((metric) => ({ panel: panel.title, metric })),
    ),
  );

  it('reads metric names out of PromQL', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, app) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m]))) / max(kairos_consumer_lag)',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'kairos_consumer_lag']);
  });

  it('only queries series the apps export', () => {
    const exported = exportedSeries();
    expect(queried.length).toBeGreaterThan(0);
    expect(queried.filter(({ metric }) => !exported.has(metric))).toEqual([]);
  });

  it('shows ingest rate, lag, freshness, inference latency and errors', () => {
    const metrics = new Set(queried.map(({ metric }) => metric));
    for (const needed of [
      'kairos_ingest_events_accepted_total',
      'kairos_consumer_lag',
      'kairos_recommender_freshness_seconds_bucket',
      'kairos_model_inference_seconds_bucket',
      'http_request_duration_seconds_count',
      'kairos_feature_dlq_total',
    ]) {
      expect({ needed, shown: metrics.has(needed) }).toEqual({ needed, shown: true });
    }
  });
});
