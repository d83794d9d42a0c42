import {
  Controller,
  Get,
  type MessageEvent,
  Param,
  Query,
  Res,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicRoute, checkedEntityId } from '@kairos/http';
import { type FastifyReply } from 'fastify';
import { type Observable } from 'rxjs';
import { CatalogService } from '../catalog/catalog.service';
import { DemoCatalogQueryDto } from './demo-catalog-query.dto';
import { browseCatalog, type DemoCatalogPage } from './demo-catalog.view';
import { DemoEnabledGuard } from './demo-enabled.guard';
import { DemoStreams } from './demo-streams.service';

/** What the demo page reads: the catalog to browse and one user's live recommendation updates. */
@ApiTags('demo')
@PublicRoute()
@UseGuards(DemoEnabledGuard)
@Controller('v1/demo')
export class DemoApiController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly streams: DemoStreams,
  ) {}

  @Get('catalog')
  @ApiOperation({ summary: 'Browse the catalog by category (demo page; only with KAIROS_DEMO on)' })
  browse(@Query() query: DemoCatalogQueryDto): DemoCatalogPage {
    return browseCatalog(this.catalog.list(), query.category ?? null, query.limit ?? 60);
  }

  @Sse('users/:userId/updates')
  @ApiOperation({
    summary: 'Server-sent events: every recomputed list of this user (demo page; KAIROS_DEMO on)',
  })
  updates(
    @Param('userId') userId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Observable<MessageEvent> {
    // While the app closes, the page's reconnects are refused; without this the keep-alive
    // connection they arrive on would outlive the HTTP server's close and hold the process.
    if (this.streams.closing) response.header('Connection', 'close');
    return this.streams.updatesOf(checkedEntityId('userId', userId));
  }
}
