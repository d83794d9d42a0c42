import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { IsFlatMap } from '../validation/flat-map.validator';
import { EVENT_TYPES, type EventType } from './event-type';
import { ENTITY_ID_PATTERN, EVENT_ID_MAX_LENGTH } from './identifiers';

export const MAX_CONTEXT_KEYS = 16;
export const MAX_CONTEXT_VALUE_LENGTH = 256;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses the accepted timestamp forms to epoch milliseconds, or null when invalid. */
export function parseEventTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && ISO_8601.test(value)) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** The rule for `value`: optional, finite; required and 1-5 for ratings. */
function eventValueProblem(value: unknown, type: unknown): string | null {
  if (value === undefined || value === null)
    return type === 'rating' ? 'is required for rating events' : null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (type === 'rating' && (value < 1 || value > 5))
    return 'must be between 1 and 5 for rating events';
  return null;
}

function IsEventValue(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEventValue',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          eventValueProblem(value, (args.object as { type?: unknown }).type) === null,
        defaultMessage: (args: ValidationArguments) =>
          `value ${eventValueProblem(args.value, (args.object as { type?: unknown }).type) ?? 'is invalid'}`,
      },
    });
}

function IsEventTimestamp(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEventTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => parseEventTimestamp(value) !== null,
        defaultMessage: () =>
          'timestamp must be an ISO-8601 date-time with a time zone or a non-negative integer of epoch milliseconds',
      },
    });
}

/** One user interaction as a frontend sends it to `POST /v1/events`. */
export class IngestEventDto {
  @ApiPropertyOptional({
    description: 'Client-chosen idempotency key; a UUIDv7 is generated when absent.',
    maxLength: EVENT_ID_MAX_LENGTH,
    example: '0192f5e4-7b1c-7cc3-9b5e-3f1f0c2d4e5a',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(EVENT_ID_MAX_LENGTH)
  eventId?: string;

  @ApiProperty({ pattern: ENTITY_ID_PATTERN.source, example: 'user-42' })
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: 'userId must be 1-128 characters of [A-Za-z0-9._:@-]' })
  userId!: string;

  @ApiProperty({ pattern: ENTITY_ID_PATTERN.source, example: 'sku-1234' })
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: 'itemId must be 1-128 characters of [A-Za-z0-9._:@-]' })
  itemId!: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'click' })
  @IsIn(EVENT_TYPES, { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type!: EventType;

  @ApiPropertyOptional({
    description: 'Required for rating (1-5); optional otherwise.',
    example: 4,
  })
  @IsEventValue()
  value?: number;

  @ApiPropertyOptional({
    description:
      'Event time: ISO-8601 with zone, or epoch milliseconds. Default: receive time. At most 5 minutes in the future and not older than the configured maximum age.',
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
    example: '2026-11-22T10:15:30.000Z',
  })
  @IsOptional()
  @IsEventTimestamp()
  timestamp?: string | number;

  @ApiPropertyOptional({ maxLength: 128, example: 's-77' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  sessionId?: string;

  @ApiPropertyOptional({
    description: `Flat string map, at most ${MAX_CONTEXT_KEYS} keys of [A-Za-z0-9_-], values up to ${MAX_CONTEXT_VALUE_LENGTH} characters.`,
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { page: 'home', device: 'mobile' },
  })
  @IsOptional()
  @IsFlatMap({ maxKeys: MAX_CONTEXT_KEYS, maxValueLength: MAX_CONTEXT_VALUE_LENGTH })
  context?: Record<string, string>;
}

export const MAX_BATCH_EVENTS = 1_000;
