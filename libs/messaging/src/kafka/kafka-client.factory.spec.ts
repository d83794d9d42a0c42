import { logLevel } from 'kafkajs';
import { effectiveLevel } from './kafka-client.factory';

describe('kafkajs log levels', () => {
  it('downgrades broker answers kafkajs retries by itself to warnings', () => {
    expect(
      effectiveLevel(logLevel.ERROR, 'This server is not the leader for that topic-partition'),
    ).toBe(logLevel.WARN);
    expect(effectiveLevel(logLevel.ERROR, 'The group is rebalancing, so a rejoin is needed')).toBe(
      logLevel.WARN,
    );
  });

  it('keeps every other error an error, and other levels as they are', () => {
    expect(effectiveLevel(logLevel.ERROR, 'Connection timeout')).toBe(logLevel.ERROR);
    expect(effectiveLevel(logLevel.ERROR, undefined)).toBe(logLevel.ERROR);
    expect(
      effectiveLevel(logLevel.INFO, 'This server is not the leader for that topic-partition'),
    ).toBe(logLevel.INFO);
  });
});
