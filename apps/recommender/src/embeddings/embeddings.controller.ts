import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { checkedEntityId, ErrorCode, KairosError, RequireScope } from '@kairos/http';
import { type ModelRef } from '@kairos/model';
import { EngineService } from '../engine/engine.service';

export interface ItemEmbeddingView {
  readonly itemId: string;
  readonly model: ModelRef;
  /** Bumped by every online step; replicas settle on the highest. */
  readonly version: number;
  readonly vector: number[];
}

/** For operators: the live row of an item in this replica's table (compare replicas, debug). */
@ApiTags('admin')
@RequireScope('admin')
@Controller('v1/embeddings')
export class EmbeddingsController {
  constructor(private readonly engines: EngineService) {}

  @Get(':itemId')
  @ApiOperation({ summary: "An item's live embedding row in this replica" })
  row(@Param('itemId') itemId: string): ItemEmbeddingView {
    checkedEntityId('itemId', itemId);
    const serving = this.engines.current();
    if (serving === null || serving.engine.rowVersion(itemId) === undefined) {
      throw new KairosError(ErrorCode.NotFound, `no embedding row for item ${itemId}`);
    }
    const [row] = serving.engine.exportRows([itemId]);
    return {
      itemId,
      model: serving.model,
      version: row?.version ?? 0,
      vector: Array.from(row?.vector ?? []),
    };
  }
}
