import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { DemoApiController } from './demo-api.controller';
import { DemoEnabledGuard } from './demo-enabled.guard';
import { DemoPageController } from './demo-page.controller';
import { DemoStreams } from './demo-streams.service';

/**
 * The demo page at `/` and what it reads (catalog, live updates). Self-contained: compose
 * `DemoModule.with(RecommenderModule)` next to the recommender (the recommender app does; so can
 * an all-in-one process). The argument is the module exporting CatalogService and
 * RecommendationNotifier; taking it as a parameter keeps this file from importing the app.
 * The routes answer only with KAIROS_DEMO on, which requires auth off.
 */
@Module({})
export class DemoModule {
  static with(recommender: Type<unknown>): DynamicModule {
    return {
      module: DemoModule,
      imports: [recommender],
      controllers: [DemoPageController, DemoApiController],
      providers: [DemoStreams, DemoEnabledGuard],
    };
  }
}
