import { Injectable } from '@nestjs/common';
import { type Clock, InjectClock } from '@kairos/config';
import {
  type ItemMessage,
  type ItemUpsertDto,
  RecordHeader,
  SCHEMA_VERSION,
  Topic,
} from '@kairos/contracts';
import { recordTraceHeaders, type RequestTrace } from '@kairos/http';
import { GuardedPublisher } from '../publishing/guarded-publisher';

/** Catalog updates go to the compacted `items` topic keyed by itemId; a delete is a tombstone. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly publisher: GuardedPublisher,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async upsert(itemId: string, dto: ItemUpsertDto, trace: RequestTrace): Promise<ItemMessage> {
    const item: ItemMessage = {
      itemId,
      title: dto.title ?? null,
      categories: dto.categories ?? [],
      tags: dto.tags ?? [],
      available: dto.available ?? true,
      properties: dto.properties ?? {},
      updatedAt: this.clock(),
    };
    await this.publisher.publish(Topic.Items, [
      { key: itemId, value: item, headers: headers(trace) },
    ]);
    return item;
  }

  async remove(itemId: string, trace: RequestTrace): Promise<void> {
    await this.publisher.publish(Topic.Items, [
      { key: itemId, value: null, headers: headers(trace) },
    ]);
  }
}

function headers(trace: RequestTrace): Record<string, string> {
  return {
    [RecordHeader.SchemaVersion]: SCHEMA_VERSION,
    [RecordHeader.ContentType]: 'application/json',
    ...recordTraceHeaders(trace),
  };
}
