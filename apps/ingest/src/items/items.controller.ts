import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Put, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ENTITY_ID_PATTERN, type ItemMessage, ItemUpsertDto } from '@kairos/contracts';
import { type KairosRequest, RequireScope, requestTrace, checkedEntityId } from '@kairos/http';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@RequireScope('items:write')
@Controller('v1/items')
export class ItemsController {
  constructor(private readonly catalog: CatalogService) {}

  @Put(':itemId')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Create or replace a catalog item' })
  @ApiParam({
    name: 'itemId',
    schema: { type: 'string', pattern: ENTITY_ID_PATTERN.source },
    example: 'sku-1234',
  })
  @ApiAcceptedResponse({
    schema: {
      example: {
        itemId: 'sku-1234',
        title: 'Trail running shoe',
        categories: ['shoes'],
        tags: [],
        available: true,
        properties: { brand: 'Acme' },
        updatedAt: 1795000000000,
      },
    },
  })
  upsert(
    @Param('itemId') itemId: string,
    @Body() item: ItemUpsertDto,
    @Req() request: KairosRequest,
  ): Promise<ItemMessage> {
    return this.catalog.upsert(checkedEntityId('itemId', itemId), item, requestTrace(request));
  }

  @Delete(':itemId')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Delete a catalog item (tombstone on the compacted items topic)' })
  @ApiParam({ name: 'itemId', schema: { type: 'string', pattern: ENTITY_ID_PATTERN.source } })
  @ApiAcceptedResponse({ schema: { example: { itemId: 'sku-1234', deleted: true } } })
  async remove(
    @Param('itemId') itemId: string,
    @Req() request: KairosRequest,
  ): Promise<{ itemId: string; deleted: true }> {
    await this.catalog.remove(checkedEntityId('itemId', itemId), requestTrace(request));
    return { itemId, deleted: true };
  }
}
