import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ENTITY_ID_PATTERN, type ItemMessage } from '@kairos/contracts';
import { ErrorCode, KairosError, RequireScope } from '@kairos/http';
import { CatalogService } from './catalog.service';

@ApiTags('items')
@RequireScope('recommendations:read')
@Controller('v1/items')
export class ItemsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get(':itemId')
  @ApiOperation({ summary: 'The catalog view of an item, as this replica serves it' })
  item(@Param('itemId') itemId: string): ItemMessage {
    if (!ENTITY_ID_PATTERN.test(itemId)) {
      throw KairosError.validation([
        { field: 'itemId', reason: 'itemId must be 1-128 characters of [A-Za-z0-9._:@-]' },
      ]);
    }
    const item = this.catalog.get(itemId);
    if (item === undefined) throw new KairosError(ErrorCode.NotFound, `no item ${itemId}`);
    return item;
  }
}
