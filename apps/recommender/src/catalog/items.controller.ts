import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ItemMessage } from '@kairos/contracts';
import { ErrorCode, KairosError, RequireScope, checkedEntityId } from '@kairos/http';
import { CatalogService } from './catalog.service';

@ApiTags('items')
@RequireScope('recommendations:read')
@Controller('v1/items')
export class ItemsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get(':itemId')
  @ApiOperation({ summary: 'The catalog view of an item, as this replica serves it' })
  item(@Param('itemId') itemId: string): ItemMessage {
    checkedEntityId('itemId', itemId);
    const item = this.catalog.get(itemId);
    if (item === undefined) throw new KairosError(ErrorCode.NotFound, `no item ${itemId}`);
    return item;
  }
}
