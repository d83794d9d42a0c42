import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { type KairosConfig } from '@kairos/config';
import { MemoryStorageModule, StorageModule } from '@kairos/storage';
import { MemorySessionArchiveStore } from './memory-session-archive.store';
import { MemoryUserStateStore } from './memory-user-state.store';
import { SessionArchiveRepository } from './session-archive.repository';
import { SessionArchiveDocument, SessionArchiveSchema } from './session-archive.schema';
import { SessionArchiveStore } from './session-archive.store';
import { UserStateRepository } from './user-state.repository';
import { UserStateDocument, UserStateSchema } from './user-state.schema';
import { UserStateStore } from './user-state.store';

const PORTS = [UserStateStore, SessionArchiveStore];

/** The feature service's repository ports: MongoDB adapters, or memory in embedded mode. */
@Module({})
export class FeatureStorageModule {
  static forRoot(config: KairosConfig): DynamicModule {
    if (config.mode === 'embedded') {
      return {
        module: FeatureStorageModule,
        global: true,
        imports: [MemoryStorageModule],
        providers: [
          { provide: UserStateStore, useClass: MemoryUserStateStore },
          { provide: SessionArchiveStore, useClass: MemorySessionArchiveStore },
        ],
        exports: PORTS,
      };
    }
    return {
      module: FeatureStorageModule,
      global: true,
      imports: [
        StorageModule,
        MongooseModule.forFeature([
          { name: UserStateDocument.name, schema: UserStateSchema },
          { name: SessionArchiveDocument.name, schema: SessionArchiveSchema },
        ]),
      ],
      providers: [
        UserStateRepository,
        SessionArchiveRepository,
        { provide: UserStateStore, useExisting: UserStateRepository },
        { provide: SessionArchiveStore, useExisting: SessionArchiveRepository },
      ],
      exports: PORTS,
    };
  }
}
