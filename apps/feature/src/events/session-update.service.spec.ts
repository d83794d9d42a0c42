import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KairosConfig, loadConfig } from '@kairos/config';
import { type TopicName } from '@kairos/contracts';
import {
  ConsumerAssignments,
  DeadLetterPublisher,
  type InboundBatch,
  MessagePublisher,
  type OutboundMessage,
} from '@kairos/messaging';
import { StateSnapshots } from '@kairos/storage';
import { Registry } from 'prom-client';
import { FeatureMetrics } from '../feature.metrics';
import { MemorySessionArchiveStore } from '../storage/memory-session-archive.store';
import { MemoryUserStateStore } from '../storage/memory-user-state.store';
import { type VersionedState } from '../storage/user-state.store';
import { SessionUpdateService } from './session-update.service';

const T0 = Date.parse('2026-11-30T10:00:00Z');

class NoPublisher extends MessagePublisher {
  publish(_topic: TopicName, _messages: readonly OutboundMessage[]): Promise<void> {
    return Promise.resolve();
  }
}

/** The memory adapter, counting reads: what the service asks storage for. */
class CountingUserStateStore extends MemoryUserStateStore {
  loads = 0;
  override loadMany(userIds: readonly string[]): Promise<Map<string, VersionedState>> {
    this.loads += userIds.length;
    return super.loadMany(userIds);
  }
}

function eventBatch(userId: string, offset: number): InboundBatch {
  const event = {
    eventId: `e-${offset}`,
    userId,
    itemId: `item-${offset}`,
    type: 'click',
    timestamp: T0 + offset * 1_000,
    receivedAt: T0 + offset * 1_000,
  };
  return {
    topic: 'events',
    partitions: [0],
    messages: [
      {
        topic: 'events',
        partition: 0,
        offset: String(offset),
        key: userId,
        value: Buffer.from(JSON.stringify(event)),
        headers: {},
        timestamp: T0,
      },
    ],
  };
}

describe('SessionUpdateService with the states it wrote kept in memory', () => {
  let dataDir: string;
  let config: KairosConfig;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kairos-session-update-'));
    config = loadConfig('embedded', { KAIROS_MODE: 'embedded', KAIROS_DATA_DIR: dataDir });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const instance = (users: CountingUserStateStore, assignments = new ConsumerAssignments()) => {
    const publisher = new NoPublisher();
    const snapshots = new StateSnapshots(config);
    return new SessionUpdateService(
      users,
      new MemorySessionArchiveStore(snapshots, config, () => T0),
      publisher,
      new DeadLetterPublisher(publisher),
      new FeatureMetrics(new Registry()),
      config,
      () => T0,
      assignments,
    );
  };

  it('does not read back a state it wrote itself', async () => {
    const users = new CountingUserStateStore(new StateSnapshots(config));
    const service = instance(users);
    await service.process(eventBatch('u', 1));
    await service.process(eventBatch('u', 2));
    await service.process(eventBatch('u', 3));
    expect(users.loads).toBe(1);
    expect((await users.findOne('u'))?.profile.totalEvents).toBe(3);
  });

  it('counts every event when another consumer wrote the user in between', async () => {
    const users = new CountingUserStateStore(new StateSnapshots(config));
    const first = instance(users);
    const second = instance(users);
    await first.process(eventBatch('u', 1));
    // A rebalance moved the partition: the other consumer applies the next event...
    await second.process(eventBatch('u', 2));
    // ...and moved it back without this consumer hearing of it: its memory is one version old.
    await first.process(eventBatch('u', 3));
    expect((await users.findOne('u'))?.profile.totalEvents).toBe(3);
  });

  it('reads from storage again once the group assignment changes', async () => {
    const users = new CountingUserStateStore(new StateSnapshots(config));
    const assignments = new ConsumerAssignments();
    const service = instance(users, assignments);
    await service.process(eventBatch('u', 1));
    assignments.changed('feature');
    await service.process(eventBatch('u', 2));
    expect(users.loads).toBe(2);
  });
});
