import { type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';
import { partitionForKey } from '../partitioning/murmur2';

/**
 * Keyed records go where the Java client would put them (murmur2 over all partitions), so
 * per-user order holds across every producer; unkeyed records rotate over available ones.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }: PartitionerArgs): number => {
    const partitionCount = partitionMetadata.length;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const { key } = message;
    if (key !== null && key !== undefined) {
      return partitionForKey(typeof key === 'string' ? key : new Uint8Array(key), partitionCount);
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const pool = available.length > 0 ? available : partitionMetadata;
    next = (next + 1) % pool.length;
    return pool[next]?.partitionId ?? 0;
  };
};
