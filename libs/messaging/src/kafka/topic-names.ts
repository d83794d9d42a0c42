import { type TopicName } from '@kairos/contracts';

/** Physical Kafka topic for a logical name: environments sharing a cluster differ by prefix. */
export function physicalTopic(prefix: string, name: TopicName): string {
  return `${prefix}${name}`;
}

/** Consumer groups are prefixed like topics, so environments sharing a cluster stay apart. */
export function physicalGroupId(prefix: string, group: string): string {
  return `${prefix}${group}`;
}
