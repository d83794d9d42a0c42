import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsFlatMap } from '../validation/flat-map.validator';

// Printable labels only: control characters and `$` (Mongo operators) are refused.
// eslint-disable-next-line no-control-regex
const LABEL = /^[^\u0000-\u001f$]{1,128}$/;

/** `PUT /v1/items/:itemId`: the catalog's view of one item. */
export class ItemUpsertDto {
  @ApiPropertyOptional({ maxLength: 512, example: 'Trail running shoe' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  title?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 32, example: ['shoes', 'running'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(LABEL, {
    each: true,
    message: 'each category must be 1-128 characters without control characters or $',
  })
  categories?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 64, example: ['waterproof'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @Matches(LABEL, {
    each: true,
    message: 'each tag must be 1-128 characters without control characters or $',
  })
  tags?: string[];

  @ApiPropertyOptional({ default: true, description: 'Unavailable items are never recommended.' })
  @IsOptional()
  @IsBoolean()
  available?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    description: 'Flat map, at most 32 keys of [A-Za-z0-9_-]; string values up to 1024 characters.',
    example: { brand: 'Acme', price: 129.9 },
  })
  @IsOptional()
  @IsFlatMap({ maxKeys: 32, maxValueLength: 1_024, allowScalars: true })
  properties?: Record<string, string | number | boolean>;
}
