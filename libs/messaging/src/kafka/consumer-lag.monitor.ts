import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type TopicName } from '@kairos/contracts';
import { METRICS_REGISTRY } from '@kairos/telemetry';
import { Gauge, type Registry } from 'prom-client';
import { EventLogAdmin } from '../ports/event-log-admin';

export const LAG_MONITOR_TARGET = Symbol('LAG_MONITOR_TARGET');
const LAG_METRIC = 'kairos_consumer_lag';

export interface LagMonitorTarget {
  readonly groupId: string;
  readonly topics: readonly TopicName[];
  readonly intervalMs?: number;
}

/**
 * Consumer lag per partition (end offset minus the group's committed offset), as the event log
 * sees it, so the number also covers partitions this replica does not own.
 */
@Injectable()
export class ConsumerLagMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerLagMonitor.name);
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly admin: EventLogAdmin,
    @Inject(LAG_MONITOR_TARGET) private readonly target: LagMonitorTarget,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    // One process may host several groups (embedded mode): they share the gauge.
    const existing = registry.getSingleMetric(LAG_METRIC) as
      Gauge<'group' | 'topic' | 'partition'> | undefined;
    this.lag =
      existing ??
      new Gauge({
        name: LAG_METRIC,
        help: 'Records not yet committed by the consumer group, per partition',
        labelNames: ['group', 'topic', 'partition'],
        registers: [registry],
      });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.debug(`lag refresh failed: ${String(error)}`),
      );
    }, this.target.intervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Current lag per `topic/partition`; also updates the gauge. */
  async refresh(): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const topic of this.target.topics) {
      const lags = await this.admin.lag(this.target.groupId, topic);
      for (const [partition, lag] of lags) {
        this.lag.set({ group: this.target.groupId, topic, partition: String(partition) }, lag);
        result.set(`${topic}/${partition}`, lag);
      }
    }
    return result;
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}
