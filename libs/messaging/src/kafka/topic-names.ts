import { type TopicName } from '@kairos/contracts';

/** Physical Kafka topic for a logical name: environments sharing a cluster differ by prefix. */
export function physicalTopic(prefix: string, name: TopicName): string {
  return `${prefix}${name}`;
}
