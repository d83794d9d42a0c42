import { Kafka, logLevel } from 'kafkajs';

/**
 * Deletes the topics and consumer groups a test file created under its unique prefixes.
 * Without it every test file leaves 6 topics x 12 partitions on the shared broker: after a full
 * CI run, thousands of partitions that the one-node controller rewrites whenever the broker is
 * fenced or restarted, which slowed it enough to fence itself again on a loaded machine.
 * Best effort: a broker that is down at the end of a file only costs disk until `down.sh`.
 */
export async function deleteTestTopics(prefixes: readonly string[]): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (brokers === undefined || brokers === '' || prefixes.length === 0) return;
  const ours = (name: string): boolean => prefixes.some((prefix) => name.startsWith(prefix));
  const admin = new Kafka({
    clientId: 'kairos-test-cleanup',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter(ours);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter(ours);
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } catch (error) {
    console.warn(`test topics under ${prefixes.join(', ')} not deleted: ${String(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
