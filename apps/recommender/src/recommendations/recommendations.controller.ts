import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ENTITY_ID_PATTERN } from '@kairos/contracts';
import { EntersTraceItself, RequireScope, checkedEntityId, inRequestTrace } from '@kairos/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
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
  // An answer from memory makes no span and needs no trace context; reads from MongoDB and
  // inference run in it (inRequestTrace), so their spans are children of the request's.
  @EntersTraceItself()
  async recommend(
    @Param('userId') userId: string,
    @Query() query: RecommendationsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    checkedEntityId('userId', userId);
    // Sent as bytes: the route's schema serializer makes them (reply.serialize), the service
    // may answer a repeated GET from bytes made before.
    const body = await this.recommendations.recommendBody(
      {
        userId,
        k: query.k ?? DEFAULT_K,
        exclude: query.exclude ?? [],
        ...(query.category !== undefined ? { category: query.category } : {}),
      },
      (answer: RecommendationAnswer) => asBuffer(reply.serialize(answer)),
      (work) => inRequestTrace(request, work),
    );
    void reply.type('application/json; charset=utf-8');
    return body;
  }
}

function asBuffer(serialized: string | ArrayBuffer | Buffer): Buffer {
  if (typeof serialized === 'string') return Buffer.from(serialized, 'utf8');
  return Buffer.isBuffer(serialized) ? serialized : Buffer.from(serialized);
}
