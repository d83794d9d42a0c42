export { StorageModule } from './mongo/storage.module';
export { MongoReadiness } from './mongo/mongo.readiness';
export { StorageReadiness } from './ports/storage-readiness';
export { MemoryStorageModule } from './memory/memory-storage.module';
export {
  StateSnapshots,
  type SnapshotParticipant,
  type StateSnapshot,
} from './memory/state-snapshots';
export { vectorFromBase64, vectorToBase64 } from './memory/vector-codec';
