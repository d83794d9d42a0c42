import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KAIROS_CONFIG, type KairosConfig } from '@kairos/config';
import { MongoReadiness } from './mongo.readiness';
import { StorageReadiness } from '../ports/storage-readiness';

/**
 * The app's MongoDB connection. Feature modules register their schemas with
 * MongooseModule.forFeature next to their repositories.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [KAIROS_CONFIG],
      useFactory: (config: KairosConfig) => {
        if (config.mongo === null) {
          throw new Error(`${config.app} imports StorageModule but MONGODB_URI is not set`);
        }
        return {
          uri: config.mongo.uri,
          appName: `kairos-${config.app}`,
          // Fail a request fast when the server is gone; consumers pause and retry on their own.
          serverSelectionTimeoutMS: 5_000,
          // Every operation has a bound, retries included. The driver's defaults leave a write to
          // a server that stopped answering pending until its monitor gives the server up (40 s
          // measured, longer on a loaded machine), holding its Kafka partition, every partition
          // fetched with it, and the shutdown.
          timeoutMS: config.mongo.operationTimeoutMs,
          // Indexes are created explicitly by repositories (documented per query), not lazily
          // on first model use, so a missing index shows up at boot rather than under load.
          autoIndex: false,
          autoCreate: false,
          // Let a failed first connection be retried by the consumers' backoff instead of
          // crashing the app when MongoDB starts after it.
          retryAttempts: 30,
          retryDelay: 1_000,
        };
      },
    }),
  ],
  providers: [MongoReadiness, { provide: StorageReadiness, useExisting: MongoReadiness }],
  exports: [MongooseModule, MongoReadiness, StorageReadiness],
})
export class StorageModule {}
