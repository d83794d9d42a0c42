import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { IngestEventDto, MAX_BATCH_EVENTS } from './ingest-event.dto';

/**
 * `POST /v1/events/batch`. Entries are validated one by one by the service (not here), so a bad
 * entry is reported by index while the good ones are still accepted.
 */
export class IngestBatchDto {
  @ApiProperty({ type: [IngestEventDto], minItems: 1, maxItems: MAX_BATCH_EVENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_EVENTS)
  events!: unknown[];
}
