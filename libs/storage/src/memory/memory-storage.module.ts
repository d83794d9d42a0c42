import { Global, Injectable, Module } from '@nestjs/common';
import { StorageReadiness } from '../ports/storage-readiness';
import { StateSnapshots } from './state-snapshots';

@Injectable()
export class MemoryStorageReadiness extends StorageReadiness {
  readonly name = 'state-store';

  /** Memory is always there; what can fail (the snapshot file) fails at boot or is logged. */
  check(): Promise<void> {
    return Promise.resolve();
  }
}

/** The embedded mode's state: in-memory stores registered with StateSnapshots. */
@Global()
@Module({
  providers: [StateSnapshots, { provide: StorageReadiness, useClass: MemoryStorageReadiness }],
  exports: [StateSnapshots, StorageReadiness],
})
export class MemoryStorageModule {}
