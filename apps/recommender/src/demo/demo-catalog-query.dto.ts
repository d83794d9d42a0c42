import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Query string of GET /v1/demo/catalog. */
export class DemoCatalogQueryDto {
  @ApiPropertyOptional({ description: 'Only items of this category', example: 'Outdoor' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  category?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 60 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 5000' })
  @Min(1, { message: 'limit must be an integer from 1 to 5000' })
  @Max(5_000, { message: 'limit must be an integer from 1 to 5000' })
  limit?: number;
}
