import { type UserState } from '../sessions/user-state';

export interface VersionedState {
  readonly state: UserState;
  /** Version read from the store; 0 for a user not stored yet. */
  readonly version: number;
}

/**
 * Port: per-user state with optimistic concurrency. Adapters: MongoDB (`user_profiles`,
 * UserStateRepository) and memory (MemoryUserStateStore, embedded mode); both return fresh
 * plain objects and the same lost-race answers.
 */
export abstract class UserStateStore {
  abstract loadMany(userIds: readonly string[]): Promise<Map<string, VersionedState>>;
  abstract findOne(userId: string): Promise<UserState | null>;
  /**
   * Writes each state only if its stored version is still the one read (0 = not stored yet).
   * Returns the userIds whose write lost a race; the caller reloads and reapplies those.
   */
  abstract saveMany(writes: ReadonlyArray<VersionedState>, now: number): Promise<string[]>;
}
