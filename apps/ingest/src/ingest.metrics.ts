import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@kairos/telemetry';
import { Counter, Histogram, type Registry } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly eventsAccepted: Counter<'endpoint'>;
  readonly eventsRejected: Counter<'endpoint' | 'reason'>;
  readonly produceSeconds: Histogram<'topic' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.eventsAccepted = new Counter({
      name: 'kairos_ingest_events_accepted_total',
      help: 'Events acknowledged by the broker and answered 202',
      labelNames: ['endpoint'],
      registers: [registry],
    });
    this.eventsRejected = new Counter({
      name: 'kairos_ingest_events_rejected_total',
      help: 'Events refused, by reason (the failing field, or broker_unavailable / overloaded)',
      labelNames: ['endpoint', 'reason'],
      registers: [registry],
    });
    this.produceSeconds = new Histogram({
      name: 'kairos_ingest_produce_seconds',
      help: 'Time from produce call to broker acknowledgement',
      labelNames: ['topic', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }
}
