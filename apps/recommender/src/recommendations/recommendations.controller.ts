import { Controller, Get, Param, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ENTITY_ID_PATTERN } from '@kairos/contracts';
import { RequireScope, checkedEntityId } from '@kairos/http';
import {
  type RecommendationAnswer,
  RecommendationQueryService,
} from './recommendation-query.service';
import { RECOMMENDATION_ANSWER_SCHEMA } from './recommendation-answer.schema';
import { RecommendationsQueryDto } from './recommendations-query.dto';

const DEFAULT_K = 10;

@ApiTags('recommendations')
@RequireScope('recommendations:read')
@Controller('v1/recommendations')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationQueryService) {}

  @Get(':userId')
  @ApiOperation({ summary: "A user's top-k items: precomputed, realtime, or trending fallback" })
  @ApiParam({ name: 'userId', schema: { type: 'string', pattern: ENTITY_ID_PATTERN.source } })
  @ApiOkResponse({
    description: '`source` says where the list came from.',
    schema: RECOMMENDATION_ANSWER_SCHEMA,
  })
  @RouteSchema({ response: { 200: RECOMMENDATION_ANSWER_SCHEMA } })
  recommend(
    @Param('userId') userId: string,
    @Query() query: RecommendationsQueryDto,
  ): Promise<RecommendationAnswer> {
    checkedEntityId('userId', userId);
    return this.recommendations.recommend({
      userId,
      k: query.k ?? DEFAULT_K,
      exclude: query.exclude ?? [],
      ...(query.category !== undefined ? { category: query.category } : {}),
    });
  }
}
