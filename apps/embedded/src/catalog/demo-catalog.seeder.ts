import { readFileSync } from 'node:fs';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { ItemUpsertDto, Topic, validateDto } from '@kairos/contracts';
import { traceFromHeaders } from '@kairos/http';
import { InProcessLog } from '@kairos/messaging';
import { CatalogService } from '../../../ingest/src/items/catalog.service';

interface CatalogLine {
  readonly itemId: string;
  readonly [field: string]: unknown;
}

/**
 * Publishes the demo catalog (KAIROS_DEMO_CATALOG) to `items` the first time the embedded
 * log starts, through the same service as PUT /v1/items/:itemId, so a fresh install has
 * something to browse and recommend. A log that already holds items is left alone.
 */
@Injectable()
export class DemoCatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo-catalog');

  constructor(
    private readonly catalog: CatalogService,
    private readonly log: InProcessLog,
    @InjectConfig() private readonly config: KairosConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const path = this.config.embedded.demoCatalog;
    if (path === null) return;
    for (let p = 0; p < this.log.partitionsPerTopic; p++) {
      if (this.log.endOffset(Topic.Items, p) > 0) return;
    }
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const trace = traceFromHeaders(undefined, undefined);
    for (const [index, line] of lines.entries()) {
      const { itemId, ...fields } = JSON.parse(line) as CatalogLine;
      const checked = validateDto(ItemUpsertDto, fields);
      if ('issues' in checked) {
        throw new Error(`${path}:${index + 1}: ${checked.issues.map((i) => i.field).join(', ')}`);
      }
      await this.catalog.upsert(itemId, checked.value, trace);
    }
    this.logger.log(`demo catalog: ${lines.length} items published from ${path}`);
  }
}
