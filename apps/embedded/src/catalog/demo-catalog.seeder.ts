import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { Topic } from '@kairos/contracts';
import { traceFromHeaders } from '@kairos/http';
import { InProcessLog } from '@kairos/messaging';
import { CatalogService } from '../../../ingest/src/items/catalog.service';
import { readDemoCatalog, seedDemoCatalog } from '../../../recommender/src/demo/demo-catalog';

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
    const trace = traceFromHeaders(undefined, undefined);
    const count = await seedDemoCatalog(await readDemoCatalog(path), (itemId, item) =>
      this.catalog.upsert(itemId, item, trace),
    );
    this.logger.log(`demo catalog: ${count} items published from ${path}`);
  }
}
