import { loadConfig } from '@kairos/config';
import { ConsumerLagMonitor, TopicAdminService } from '@kairos/messaging';
import { installHttpMetrics } from '@kairos/telemetry';
import fastify from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { FeatureMetrics } from '../../apps/feature/src/feature.metrics';
import { IngestMetrics } from '../../apps/ingest/src/ingest.metrics';
import { ModelMetrics } from '../../apps/recommender/src/models/model.metrics';
import { RecommenderMetrics } from '../../apps/recommender/src/recommender.metrics';
import { dashboardQueries, metricNamesIn } from '../support/grafana-dashboard';

/** Every series name the three apps register, from their own metric classes. */
function exportedSeries(): Set<string> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  installHttpMetrics(fastify(), registry);
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
  const queried = dashboardQueries();

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
