import { Injectable } from '@nestjs/common';

/**
 * Tells services of this process when one of its consumer groups may have lost or gained
 * partitions (a rebalance started or finished, the consumer stopped or crashed). Transports
 * report; services that trust state only while they own its partitions (the recommender's list
 * cache) listen. Nothing is reported in embedded mode: one member owns every partition for
 * the life of the process.
 */
@Injectable()
export class ConsumerAssignments {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` on every change of `groupId`'s assignment; returns the unsubscribe. */
  onChange(groupId: string, listener: () => void): () => void {
    const listeners = this.listeners.get(groupId) ?? new Set();
    listeners.add(listener);
    this.listeners.set(groupId, listeners);
    return () => listeners.delete(listener);
  }

  changed(groupId: string): void {
    for (const listener of this.listeners.get(groupId) ?? []) listener();
  }
}
