import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import {
  BroadcastConsumers,
  type BroadcastSubscription,
  type InboundBatch,
  MessagePublisher,
} from '@kairos/messaging';
import { type ModelRef } from '@kairos/model';
import { type ItemRowUpdate, type RecommendationEngine } from '@kairos/recsys';
import { vectorFromBase64, vectorToBase64 } from '@kairos/storage';
import { EngineService } from '../engine/engine.service';
import { RecommenderMetrics } from '../recommender.metrics';

/** A record on the compacted `item-embeddings` topic, keyed by itemId: the latest row. */
interface EmbeddingRowMessage {
  readonly itemId: string;
  readonly model: ModelRef;
  readonly version: number;
  /**
   * Float32 little-endian, base64: a third of the size of a JSON number array and far cheaper
   * to write and parse. Records written before that change carry a number array; both are read.
   */
  readonly vector: string | number[];
  /** The replica that learned it (for operators reading the topic). */
  readonly origin: string;
}

/**
 * Shares online-learned item rows between recommender replicas through `item-embeddings`:
 * rows a replica learns are published, every replica applies the others' rows (see `supersedes`;
 * rows of another model's space are ignored), and a starting replica replays the compacted topic
 * from the beginning (after restoring MongoDB's rows) to catch up with what was learned before.
 */
@Injectable()
export class EmbeddingReplicationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('embeddings');
  private readonly consumer: BroadcastSubscription;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly engines: EngineService,
    private readonly metrics: RecommenderMetrics,
    @InjectConfig() private readonly config: KairosConfig,
    broadcasts: BroadcastConsumers,
  ) {
    this.consumer = broadcasts.create(Topic.ItemEmbeddings, (batch) => this.apply(batch));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  async publish(rows: readonly ItemRowUpdate[], model: ModelRef): Promise<void> {
    if (rows.length === 0) return;
    await this.publisher.publish(
      Topic.ItemEmbeddings,
      rows.map((row) => ({
        key: row.itemId,
        value: {
          itemId: row.itemId,
          model,
          version: row.version,
          vector: vectorToBase64(row.vector),
          origin: this.config.instanceId,
        } satisfies EmbeddingRowMessage,
      })),
    );
  }

  private supersedes(
    engine: RecommendationEngine,
    itemId: string,
    version: number,
    vector: Float32Array,
  ): boolean {
    const local =
      engine.rowVersion(itemId) === undefined ? undefined : engine.exportRows([itemId])[0];
    return supersedes(local, version, vector);
  }

  private apply(batch: InboundBatch): void {
    const serving = this.engines.current();
    if (serving === null) return;
    let applied = 0;
    for (const message of batch.messages) {
      const row = parseRow(message.value);
      if (row === null) {
        this.logger.warn(`ignored a malformed row at ${message.partition}@${message.offset}`);
        continue;
      }
      // Own rows coming back are no-ops (same version and vector, or superseded locally); they
      // are not skipped by origin, so a replica restarted under the same id gets them back.
      if (row.model.name !== serving.model.name || row.model.version !== serving.model.version)
        continue;
      const vector = row.vector;
      if (!this.supersedes(serving.engine, row.itemId, row.version, vector)) continue;
      serving.engine.applyRow({ itemId: row.itemId, vector, version: row.version });
      applied++;
    }
    if (applied > 0) this.metrics.embeddingRows.inc({ origin: 'replicated' }, applied);
  }
}

/**
 * Highest version wins; equal versions (two replicas stepped the same row independently) are
 * settled by comparing the vectors, so every replica picks the same row whatever the order the
 * records arrive in, and replicas converge once updates stop.
 */
function supersedes(
  local: ItemRowUpdate | undefined,
  version: number,
  vector: Float32Array,
): boolean {
  if (local === undefined || version > local.version) return true;
  if (version < local.version) return false;
  for (let d = 0; d < vector.length; d++) {
    const incoming = vector[d] ?? 0;
    const current = local.vector[d] ?? 0;
    if (incoming !== current) return incoming > current;
  }
  return false;
}

type ParsedRow = Omit<EmbeddingRowMessage, 'vector'> & { readonly vector: Float32Array };

function parseRow(value: Buffer | null): ParsedRow | null {
  if (value === null) return null;
  try {
    const row = JSON.parse(value.toString('utf8')) as Partial<EmbeddingRowMessage>;
    const vector = decodeVector(row.vector);
    const valid =
      typeof row.itemId === 'string' &&
      typeof row.version === 'number' &&
      typeof row.origin === 'string' &&
      typeof row.model?.name === 'string' &&
      typeof row.model.version === 'string' &&
      vector !== null &&
      vector.every((x) => Number.isFinite(x));
    return valid ? ({ ...row, vector } as ParsedRow) : null;
  } catch {
    return null;
  }
}

function decodeVector(vector: unknown): Float32Array | null {
  if (Array.isArray(vector)) {
    return vector.every((x) => typeof x === 'number') ? Float32Array.from(vector) : null;
  }
  // A length that is not whole floats throws in vectorFromBase64: parseRow reports it malformed.
  return typeof vector === 'string' ? vectorFromBase64(vector) : null;
}
