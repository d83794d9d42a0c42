import { type LoggerService } from '@nestjs/common';
import { type KafkaConfig } from '@kairos/config';
import { type TopicSpec } from '@kairos/contracts';
import { type Admin } from 'kafkajs';
import { RetryBackoff } from './retry-backoff';
import { physicalTopic } from './topic-names';

/** The admin calls topic setup needs; tests pass a stand-in that fails on cue. */
export type TopicSetupAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'fetchTopicMetadata'>;

/** Time as topic setup sees it: injected so tests drive the retries without waiting. */
export interface TopicSetupTiming {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly backoff: RetryBackoff;
}

export const realTopicSetupTiming = (): TopicSetupTiming => ({
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  backoff: new RetryBackoff(250, 5_000),
});

/** Topic setup ran out of its budget (KAFKA_TOPIC_SETUP_TIMEOUT_MS); the app cannot start. */
export class TopicSetupError extends Error {
  override readonly name = 'TopicSetupError';
}

const BACKOFF_KEY = 'topic-setup';

/**
 * Creates missing topics and waits until every partition of every topic has a leader, retrying
 * the whole step with exponential backoff. Right after creation a broker may answer "This server
 * does not host this topic-partition" or be mid leader election, and kafkajs's createTopics gives
 * up on the first such answer; an app starting then should wait, not exit. Only once the budget
 * is spent does it fail, naming the topics and the brokers.
 */
export class TopicProvisioner {
  constructor(
    private readonly admin: TopicSetupAdmin,
    private readonly config: KafkaConfig,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private readonly timing: TopicSetupTiming = realTopicSetupTiming(),
  ) {}

  /**
   * Returns the physical names of the topics that were missing when this call began (created
   * by it, or by an app starting alongside). `connect` runs first in every attempt: at boot the
   * broker itself may not be up yet.
   */
  async ensure(specs: readonly TopicSpec[], connect: () => Promise<void>): Promise<string[]> {
    const { now, sleep, backoff } = this.timing;
    const budgetMs = this.config.topicSetupTimeoutMs;
    const startedAt = now();
    const missingAtStart: { names?: string[] } = {};
    for (let attempt = 1; ; attempt++) {
      try {
        await connect();
        await this.attempt(specs, missingAtStart);
        backoff.succeeded(BACKOFF_KEY);
        return missingAtStart.names ?? [];
      } catch (error) {
        const reason = describeKafkaError(error);
        const remainingMs = budgetMs - (now() - startedAt);
        if (remainingMs <= 0) {
          backoff.succeeded(BACKOFF_KEY);
          throw new TopicSetupError(
            `could not create Kafka topics ${this.names(specs).join(', ')} with a leader on every ` +
              `partition on brokers ${this.config.brokers.join(', ')} within ${budgetMs} ms ` +
              `(${attempt} attempts, KAFKA_TOPIC_SETUP_TIMEOUT_MS); last error: ${reason}`,
            { cause: error },
          );
        }
        const waitMs = Math.min(backoff.failed(BACKOFF_KEY), remainingMs);
        this.logger.warn(
          `topic setup attempt ${attempt} failed: ${reason}; retrying in ${waitMs} ms`,
        );
        await sleep(waitMs);
      }
    }
  }

  private async attempt(
    specs: readonly TopicSpec[],
    missingAtStart: { names?: string[] },
  ): Promise<void> {
    const { topicPrefix, topicPartitions, replicationFactor } = this.config;
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(physicalTopic(topicPrefix, spec.name)));
    missingAtStart.names ??= this.names(missing);
    if (missing.length > 0) {
      // false = another app created them first, which counts as success.
      const createdNow = await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: physicalTopic(topicPrefix, spec.name),
          numPartitions: topicPartitions,
          replicationFactor,
          configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      });
      if (createdNow) {
        this.logger.log(`created topics: ${missing.map((spec) => spec.name).join(', ')}`);
      }
    }
    await this.requireLeaders(this.names(specs));
  }

  /** Producers and consumers started next need a leader everywhere; a topic that exists is not enough. */
  private async requireLeaders(topics: readonly string[]): Promise<void> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [...topics] });
    const seen = new Set(metadata.topics.map((topic) => topic.name));
    const unready = [
      ...topics.filter((topic) => !seen.has(topic)).map((topic) => `${topic} (no metadata)`),
      ...metadata.topics
        .filter((topic) => topic.partitions.length === 0)
        .map((topic) => `${topic.name} (no partitions)`),
      ...metadata.topics.flatMap((topic) =>
        topic.partitions
          .filter((partition) => partition.leader < 0)
          .map((partition) => `${topic.name}/${partition.partitionId}`),
      ),
    ];
    if (unready.length > 0) {
      const more = unready.length > 5 ? ` and ${unready.length - 5} more` : '';
      throw new Error(`no leader yet for ${unready.slice(0, 5).join(', ')}${more}`);
    }
  }

  private names(specs: readonly TopicSpec[]): string[] {
    return specs.map((spec) => physicalTopic(this.config.topicPrefix, spec.name));
  }
}

/**
 * One line naming what the broker said: kafkajs wraps the broker's answer (retries exceeded,
 * per-topic errors in an aggregate), and the outer message alone often hides it.
 */
export function describeKafkaError(error: unknown): string {
  const messages: string[] = [];
  const visit = (current: unknown, depth: number): void => {
    if (depth > 4) return;
    if (!(current instanceof Error)) {
      messages.push(String(current));
      return;
    }
    messages.push(current.message);
    if ('errors' in current && Array.isArray(current.errors)) {
      for (const inner of current.errors as unknown[]) visit(inner, depth + 1);
    }
    if (current.cause !== undefined && current.cause !== current) visit(current.cause, depth + 1);
  };
  visit(error, 0);
  return [...new Set(messages.filter((message) => message.length > 0))].join(': ');
}
