import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type SnapshotParticipant, StateSnapshots } from '@kairos/storage';
import { type UserState } from '../sessions/user-state';
import { fromStoredState, toStoredState } from './user-state.mapper';
import { type StoredUserState } from './user-state.schema';
import { UserStateStore, type VersionedState } from './user-state.store';

interface Entry {
  readonly version: number;
  readonly writer: string;
  readonly state: StoredUserState;
}

/**
 * User state in memory for the embedded mode, with the MongoDB adapter's behaviour: stored in
 * the document form (so reads return fresh objects, never the caller's), versioned writes that
 * report lost races. Part of the state snapshot.
 */
@Injectable()
export class MemoryUserStateStore extends UserStateStore implements SnapshotParticipant {
  readonly snapshotKey = 'feature.user_profiles';
  private entries = new Map<string, Entry>();

  constructor(snapshots: StateSnapshots) {
    super();
    snapshots.register(this);
  }

  loadMany(userIds: readonly string[]): Promise<Map<string, VersionedState>> {
    const loaded = new Map<string, VersionedState>();
    for (const userId of userIds) {
      const entry = this.entries.get(userId);
      if (entry !== undefined) {
        loaded.set(userId, { state: this.read(userId, entry), version: entry.version });
      }
    }
    return Promise.resolve(loaded);
  }

  findOne(userId: string): Promise<UserState | null> {
    const entry = this.entries.get(userId);
    return Promise.resolve(entry === undefined ? null : this.read(userId, entry));
  }

  saveMany(writes: ReadonlyArray<VersionedState>, _now: number): Promise<string[]> {
    const writer = randomUUID();
    const lost: string[] = [];
    for (const { state, version } of writes) {
      const current = this.entries.get(state.userId);
      if ((current?.version ?? 0) !== version) {
        lost.push(state.userId);
        continue;
      }
      this.entries.set(state.userId, {
        version: version + 1,
        writer,
        state: copy(toStoredState(state)),
      });
    }
    return Promise.resolve(lost);
  }

  dump(): unknown {
    return [...this.entries];
  }

  restore(data: unknown): void {
    this.entries = new Map(data as Array<[string, Entry]>);
  }

  private read(userId: string, entry: Entry): UserState {
    return fromStoredState(userId, copy(entry.state));
  }
}

/** A deep copy, as a round trip through a database would make. */
function copy<T>(value: T): T {
  return structuredClone(value);
}
