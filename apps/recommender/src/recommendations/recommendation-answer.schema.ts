import { type SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * JSON Schema of a `GET /v1/recommendations/:userId` answer (RecommendationAnswer). One schema
 * serves twice: the OpenAPI document describes the answer with it, and Fastify compiles it
 * into the route's serializer (fast-json-stringify), which writes the answer without
 * JSON.stringify's walk over every value (a visible share of a cached GET's CPU). Properties not
 * listed here are not sent, so a field added to the answer must be added here too (the e2e
 * recommendations test checks the whole body).
 */
export const RECOMMENDATION_ANSWER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['userId', 'items', 'model', 'asOfEventId', 'computedAt', 'source'],
  properties: {
    userId: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['itemId', 'score'],
        properties: { itemId: { type: 'string' }, score: { type: 'number' } },
      },
    },
    model: {
      type: 'object',
      nullable: true,
      description: 'The model that ranked the list; null for the trending fallback.',
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    asOfEventId: {
      type: 'string',
      nullable: true,
      description: 'The last event the list reflects.',
    },
    computedAt: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['precomputed', 'realtime', 'fallback'] },
  },
};
