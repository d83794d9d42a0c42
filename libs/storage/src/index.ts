export { StorageModule } from './mongo/storage.module';
export { MongoReadiness } from './mongo/mongo.readiness';
