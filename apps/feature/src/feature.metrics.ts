import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@kairos/telemetry';
import { Counter, Histogram, type Registry } from 'prom-client';

@Injectable()
export class FeatureMetrics {
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  readonly eventsApplied: Counter;
  readonly dedupeHits: Counter;
  readonly lateEvents: Counter;
  readonly deadLettered: Counter<'code'>;
  readonly writeConflicts: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.batchSize = new Histogram({
      name: 'kairos_feature_batch_size',
      help: 'Records per consumed partition batch',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'kairos_feature_batch_seconds',
      help: 'Time from batch received to durable state, features published',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.eventsApplied = new Counter({
      name: 'kairos_feature_events_applied_total',
      help: 'Events incorporated into state',
      registers,
    });
    this.dedupeHits = new Counter({
      name: 'kairos_feature_dedupe_hits_total',
      help: 'Events skipped as already applied (redelivery or client retry)',
      registers,
    });
    this.lateEvents = new Counter({
      name: 'kairos_feature_late_events_total',
      help: 'Events later than the allowed lateness (profile only)',
      registers,
    });
    this.deadLettered = new Counter({
      name: 'kairos_feature_dlq_total',
      help: 'Records sent to events.dlq, by reason',
      labelNames: ['code'],
      registers,
    });
    this.writeConflicts = new Counter({
      name: 'kairos_feature_write_conflicts_total',
      help: 'User writes that lost an optimistic-concurrency race and were reapplied',
      registers,
    });
  }
}
