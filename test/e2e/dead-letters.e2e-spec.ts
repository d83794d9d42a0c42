import { Topic } from '@kairos/contracts';
import { poisonEvents, readDeadLetters } from '../support/dead-letters';
import { eventually } from '../support/infra';
import { bootSystem, describeEachMode, type System } from '../support/system';

/**
 * Records no client could have sent through ingest, written straight to `events`: each ends in
 * `events.dlq` with the same error headers in both modes, and the valid events around them are
 * still processed (the partition never blocks).
 */
describeEachMode('poison records on events go to events.dlq and the stream continues', (mode) => {
  let system: System;

  beforeAll(async () => {
    system = await bootSystem(mode, ['ingest', 'feature'], 'dlq', { KAIROS_AUTH: 'off' });
  });

  afterAll(async () => {
    await system?.close();
  });

  const post = async (userId: string, itemId: string): Promise<string> => {
    const response = await fetch(`${system.url('ingest')}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, itemId, type: 'click' }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { eventId: string }).eventId;
  };

  it('diverts every poison record with its reason and processes the valid events', async () => {
    const valid = {
      eventId: 'poison-template',
      userId: 'p4',
      itemId: 'sku-1',
      type: 'teleport',
      timestamp: Date.now(),
      receivedAt: Date.now(),
    };
    const { records: poison, expectedCodes } = poisonEvents(valid);
    for (const record of poison) {
      await post(record.key, 'before');
    }
    await system.writeRaw(Topic.Events, poison);
    const last = new Map<string, string>();
    for (const record of poison) last.set(record.key, await post(record.key, 'after'));

    const dead = await readDeadLetters(
      (done) => system.readTopic(Topic.EventsDlq, done),
      poison.length,
      /(^|\.)events$/,
    );
    expect(dead.codeByKey).toEqual(expectedCodes);
    expect(dead.unexplained).toEqual([]);
    const original = dead.records.find((record) => record.key === 'p1');
    expect(original?.value).toBe('{not json');
    expect(original?.headers.traceparent).toBe('keep-me');

    // The partitions moved on: every valid event, before and after the poison, is counted once.
    for (const [userId, eventId] of last) {
      const session = await eventually(
        async () => {
          const response = await fetch(`${system.url('feature')}/v1/users/${userId}/session`);
          if (response.status !== 200) return undefined;
          const body = (await response.json()) as {
            lastEventId: string;
            profile: { totalEvents: number };
          };
          return body.lastEventId === eventId ? body : undefined;
        },
        { what: `${userId}'s valid events` },
      );
      expect(session.profile.totalEvents).toBe(2);
    }
  });
});
