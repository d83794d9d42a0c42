import {
  type DynamicModule,
  Injectable,
  type INestApplicationContext,
  Module,
} from '@nestjs/common';
import { InjectModel, MongooseModule, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ConfigModule, type KairosConfig, loadConfig } from '@kairos/config';
import { MongoReadiness, StorageModule } from '@kairos/storage';
import { NestFactory } from '@nestjs/core';
import { type Model } from 'mongoose';
import { FreezableProxy } from '../support/freezable-proxy';
import { describeWithInfra, requireEnv, uniqueTestPrefix } from '../support/infra';

const collection = `${uniqueTestPrefix('storage').replace(/[.]/g, '_')}probes`;

@Schema({ collection, versionKey: 'version', optimisticConcurrency: true })
class Probe {
  @Prop({ required: true, unique: true }) probeId!: string;
  @Prop({ type: [String], default: [] }) items!: string[];
  @Prop({ required: true }) count!: number;
}
const ProbeSchema = SchemaFactory.createForClass(Probe);

interface ProbeRecord {
  readonly probeId: string;
  readonly items: readonly string[];
  readonly count: number;
}

@Injectable()
class ProbeRepository {
  constructor(@InjectModel(Probe.name) private readonly model: Model<Probe>) {}

  async ensureIndexes(): Promise<void> {
    await this.model.createCollection();
    await this.model.syncIndexes();
  }

  async create(record: ProbeRecord): Promise<void> {
    await this.model.create(record);
  }

  async incrementMany(ids: readonly string[], by: number): Promise<number> {
    const result = await this.model.bulkWrite(
      ids.map((probeId) => ({
        updateOne: { filter: { probeId }, update: { $inc: { count: by } }, upsert: true },
      })),
      { ordered: false },
    );
    return result.upsertedCount + result.modifiedCount;
  }

  find(probeId: string): Promise<ProbeRecord | null> {
    return this.model
      .findOne({ probeId }, { _id: 0, probeId: 1, items: 1, count: 1 })
      .lean<ProbeRecord>()
      .exec();
  }
}

@Module({})
class StorageProbeModule {
  static register(config: KairosConfig): DynamicModule {
    return {
      module: StorageProbeModule,
      imports: [
        ConfigModule.forRoot(config),
        StorageModule,
        MongooseModule.forFeature([{ name: Probe.name, schema: ProbeSchema }]),
      ],
      providers: [ProbeRepository],
    };
  }
}

describeWithInfra('storage against the real MongoDB-protocol server', ['mongo'], () => {
  let app: INestApplicationContext;
  let repository: ProbeRepository;

  beforeAll(async () => {
    const config = loadConfig('feature', {
      KAFKA_BROKERS: 'unused:9092',
      MONGODB_URI: requireEnv('MONGODB_URI'),
      LOG_LEVEL: 'warn',
      KAIROS_AUTH: 'off',
    });
    app = await NestFactory.createApplicationContext(StorageProbeModule.register(config), {
      logger: ['error'],
    });
    await app.init();
    repository = app.get(ProbeRepository);
    await repository.ensureIndexes();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers the readiness ping', async () => {
    await expect(app.get(MongoReadiness).check()).resolves.toBeUndefined();
  });

  it('writes a document through mongoose and reads it back as a plain object', async () => {
    await repository.create({ probeId: 'p-1', items: ['a', 'b'], count: 1 });
    const found = await repository.find('p-1');
    expect(found).toEqual({ probeId: 'p-1', items: ['a', 'b'], count: 1 });
    expect(found?.constructor).toBe(Object);
  });

  it('applies an unordered bulkWrite with upserts', async () => {
    await expect(repository.incrementMany(['p-1', 'p-2'], 5)).resolves.toBe(2);
    expect((await repository.find('p-1'))?.count).toBe(6);
    expect((await repository.find('p-2'))?.count).toBe(5);
  });

  it('enforces the unique index', async () => {
    await expect(repository.create({ probeId: 'p-1', items: [], count: 0 })).rejects.toThrow(
      /duplicate key|E11000/,
    );
  });
});

describeWithInfra('storage when the MongoDB-protocol server stops answering', ['mongo'], () => {
  const OPERATION_TIMEOUT_MS = 2_000;
  let proxy: FreezableProxy;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    const real = new URL(requireEnv('MONGODB_URI'));
    proxy = new FreezableProxy({ host: real.hostname, port: Number(real.port || 27017) });
    const port = await proxy.start();
    real.host = `127.0.0.1:${port}`;
    const config = loadConfig('feature', {
      KAFKA_BROKERS: 'unused:9092',
      MONGODB_URI: real.toString(),
      MONGODB_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
      KAIROS_AUTH: 'off',
    });
    app = await NestFactory.createApplicationContext(StorageProbeModule.register(config), {
      logger: false,
    });
    await app.init();
  });

  afterAll(async () => {
    await proxy.stop();
    await app?.close();
  });

  it('fails a write within MONGODB_OPERATION_TIMEOUT_MS instead of waiting forever', async () => {
    const repository = app!.get(ProbeRepository);
    await repository.ensureIndexes();
    await expect(repository.incrementMany(['frozen-1'], 1)).resolves.toBe(1);
    proxy.freeze();
    const started = performance.now();
    // Without the bound the driver waited 40 s here, until its monitor gave the server up.
    await expect(repository.incrementMany(['frozen-1'], 1)).rejects.toThrow(/timed out|timeout/i);
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(OPERATION_TIMEOUT_MS * 0.9);
    expect(tookMs).toBeLessThan(OPERATION_TIMEOUT_MS * 5);
  });
});
