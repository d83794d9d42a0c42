import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type Connection } from 'mongoose';
import { StorageReadiness } from '../ports/storage-readiness';

@Injectable()
export class MongoReadiness extends StorageReadiness {
  readonly name = 'mongodb';

  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  async check(): Promise<void> {
    const db = this.connection.db;
    if (db === undefined) throw new Error('not connected');
    await db.admin().ping();
  }
}
