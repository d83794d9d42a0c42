import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { TOPIC_SPECS, type TopicName, type TopicSpec } from '@kairos/contracts';
import { type Admin } from 'kafkajs';
import { createKafka } from './kafka-client.factory';
import { physicalGroupId, physicalTopic } from './topic-names';
import { TopicProvisioner } from './topic-provisioner';
import { EventLogAdmin } from '../ports/event-log-admin';

/**
 * Creates missing topics at boot (TopicProvisioner) and answers readiness probes. Creation is
 * idempotent: apps starting together may race, and "already exists" counts as success.
 */
@Injectable()
export class TopicAdminService extends EventLogAdmin implements OnApplicationShutdown {
  private readonly logger = new Logger(TopicAdminService.name);
  private readonly admin: Admin;
  private readonly provisioner: TopicProvisioner;
  private connecting: Promise<void> | null = null;

  constructor(@InjectConfig() private readonly config: KairosConfig) {
    super();
    this.admin = createKafka(config.kafka, 'admin').admin();
    this.provisioner = new TopicProvisioner(this.admin, config.kafka, this.logger);
  }

  /** Retries with backoff until KAFKA_TOPIC_SETUP_TIMEOUT_MS, then throws (the app does not start). */
  async ensureTopics(specs: readonly TopicSpec[] = TOPIC_SPECS): Promise<string[]> {
    return this.provisioner.ensure(specs, () => this.connect());
  }

  /** Partition count of a topic as the broker reports it. */
  async partitionCount(topic: TopicSpec['name']): Promise<number> {
    await this.connect();
    const name = physicalTopic(this.config.kafka.topicPrefix, topic);
    const metadata = await this.admin.fetchTopicMetadata({ topics: [name] });
    return metadata.topics[0]?.partitions.length ?? 0;
  }

  /** Lag per partition of a group on a (physical) topic: end offset minus committed offset. */
  async lagOf(groupId: string, topic: string): Promise<Map<number, number>> {
    await this.connect();
    return groupLag(this.admin, groupId, topic);
  }

  /** Lag per partition of a group on a topic, both by logical name (prefixes applied here). */
  lag(groupId: string, topic: TopicName): Promise<Map<number, number>> {
    const prefix = this.config.kafka.topicPrefix;
    return this.lagOf(physicalGroupId(prefix, groupId), physicalTopic(prefix, topic));
  }

  /** Throws unless a broker answers a metadata request. */
  async ping(): Promise<void> {
    await this.connect();
    await this.admin.describeCluster();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.admin.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connecting === null) return;
    await this.admin.disconnect().catch((error: unknown) => {
      this.logger.warn(`admin disconnect failed: ${String(error)}`);
    });
  }
}

/**
 * Lag per partition of a consumer group on a (physical) topic, as the broker sees it: end offset
 * minus committed offset. Shared by the lag metric, the tests and the benchmarks.
 */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const committedByPartition = new Map(
    (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
  );
  return new Map(
    ends.map((end) => {
      const done = committedByPartition.get(end.partition) ?? -1;
      // -1 = nothing committed yet: everything from the log start is lag.
      const from = done < 0 ? Number(end.low) : done;
      return [end.partition, Math.max(0, Number(end.high) - from)] as const;
    }),
  );
}

/** Total lag of a group on a topic, over all partitions. */
export async function totalGroupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  let total = 0;
  for (const lag of (await groupLag(admin, groupId, topic)).values()) total += lag;
  return total;
}
