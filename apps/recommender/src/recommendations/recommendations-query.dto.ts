import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ENTITY_ID_PATTERN } from '@kairos/contracts';

const ID_MESSAGE = 'must be 1-128 characters of [A-Za-z0-9._:@-]';

/** Query string of GET /v1/recommendations/:userId; errors name the parameter. */
export class RecommendationsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'k must be an integer from 1 to 100' })
  @Min(1, { message: 'k must be an integer from 1 to 100' })
  @Max(100, { message: 'k must be an integer from 1 to 100' })
  k?: number;

  @ApiPropertyOptional({ description: 'Comma-separated item ids to leave out', example: 'a,b' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').filter((id) => id !== '') : value,
  )
  @ArrayMaxSize(500, { message: 'exclude may list at most 500 item ids' })
  @Matches(ENTITY_ID_PATTERN, { each: true, message: `exclude: every item id ${ID_MESSAGE}` })
  exclude?: string[];

  @ApiPropertyOptional({ description: 'Only items of this catalog category' })
  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: `category ${ID_MESSAGE}` })
  category?: string;
}
