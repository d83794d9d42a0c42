import { Module } from '@nestjs/common';
import { EventLogReadiness } from '@kairos/messaging';
import { type AppDefinition } from '@kairos/platform';
import { EventIntakeService } from './events/event-intake.service';
import { EventsController } from './events/events.controller';
import { IngestMetrics } from './ingest.metrics';
import { CatalogService } from './items/catalog.service';
import { ItemsController } from './items/items.controller';
import { GuardedPublisher } from './publishing/guarded-publisher';

/** Validates client events and catalog updates and publishes them to the event log. */
@Module({
  controllers: [EventsController, ItemsController],
  providers: [EventIntakeService, CatalogService, GuardedPublisher, IngestMetrics],
  exports: [CatalogService],
})
export class IngestModule {}

export const ingestApp: AppDefinition = {
  name: 'ingest',
  description:
    'Validates client events and catalog updates and publishes them to Kafka keyed by userId / itemId.',
  module: IngestModule,
  readiness: [EventLogReadiness],
  handlersTakeRequestTrace: true,
};
