import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type ItemMessage, Topic } from '@kairos/contracts';
import {
  BroadcastConsumers,
  type BroadcastSubscription,
  type InboundBatch,
} from '@kairos/messaging';
import { EngineService } from '../engine/engine.service';

/**
 * The catalog as this replica knows it, rebuilt from the compacted `items` topic at every start
 * (each replica reads all of it). Unavailable items are never recommended; categories drive
 * the category filter and place new items near their category.
 */
@Injectable()
export class CatalogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('catalog');
  private readonly items = new Map<string, ItemMessage>();
  private readonly unavailableIds = new Set<string>();
  private availabilityChanges = 0;
  private readonly consumer: BroadcastSubscription;

  constructor(
    private readonly engines: EngineService,
    broadcasts: BroadcastConsumers,
  ) {
    this.consumer = broadcasts.create(Topic.Items, (batch) => this.apply(batch));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  get(itemId: string): ItemMessage | undefined {
    return this.items.get(itemId);
  }

  /** Every known item, available or not, in no particular order. */
  list(): IterableIterator<ItemMessage> {
    return this.items.values();
  }

  unavailable(): ReadonlySet<string> {
    return this.unavailableIds;
  }

  /** Changes whenever the set of unavailable items does (answers derived from it go stale). */
  availabilityVersion(): number {
    return this.availabilityChanges;
  }

  inCategory(itemId: string, category: string): boolean {
    return this.items.get(itemId)?.categories.includes(category) ?? false;
  }

  /** Applies catalog records in log order; a tombstone (null value) removes the item. */
  apply(batch: InboundBatch): void {
    for (const message of batch.messages) {
      if (message.key === null) continue;
      if (message.value === null || message.value.length === 0) {
        this.items.delete(message.key);
        this.markAvailable(message.key, true);
        continue;
      }
      const item = parseItem(message.value);
      if (item === null || item.itemId !== message.key) {
        this.logger.warn(`ignored a malformed item at ${message.partition}@${message.offset}`);
        continue;
      }
      this.items.set(item.itemId, item);
      this.markAvailable(item.itemId, item.available);
      const category = item.categories[0];
      if (category !== undefined)
        this.engines.current()?.engine.setItemCategory(item.itemId, category);
    }
  }

  private markAvailable(itemId: string, available: boolean): void {
    if (available === !this.unavailableIds.has(itemId)) return;
    if (available) this.unavailableIds.delete(itemId);
    else this.unavailableIds.add(itemId);
    this.availabilityChanges += 1;
  }
}

function parseItem(value: Buffer): ItemMessage | null {
  try {
    const item = JSON.parse(value.toString('utf8')) as Partial<ItemMessage>;
    const valid =
      typeof item.itemId === 'string' &&
      typeof item.available === 'boolean' &&
      Array.isArray(item.categories) &&
      item.categories.every((category) => typeof category === 'string');
    return valid ? (item as ItemMessage) : null;
  } catch {
    return null;
  }
}
