import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type ReadinessCheck } from '@kairos/health';
import { type Connection } from 'mongoose';

@Injectable()
export class MongoReadiness implements ReadinessCheck {
  readonly name = 'mongodb';

  constructor(@InjectConnection() private readonly connection: Connection) {}

  async check(): Promise<void> {
    const db = this.connection.db;
    if (db === undefined) throw new Error('not connected');
    await db.admin().ping();
  }
}
