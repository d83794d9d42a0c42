import {
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { EVENT_TYPES, type EventType } from './event-type';
import { ENTITY_ID_PATTERN, EVENT_ID_MAX_LENGTH } from './identifiers';

/**
 * The value of a record on the `events` topic, keyed by userId. Ingest normalises client input
 * into this shape (event time as epoch milliseconds, eventId always present), so consumers
 * validate one format and never re-parse client timestamps.
 */
export class UserEventMessage {
  @IsString()
  @MinLength(1)
  @MaxLength(EVENT_ID_MAX_LENGTH)
  eventId!: string;

  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: 'userId must be 1-128 characters of [A-Za-z0-9._:@-]' })
  userId!: string;

  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: 'itemId must be 1-128 characters of [A-Za-z0-9._:@-]' })
  itemId!: string;

  @IsIn(EVENT_TYPES)
  type!: EventType;

  @ValidateIf((event: UserEventMessage) => event.type === 'rating' || event.value !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;

  /** Event time, epoch milliseconds. */
  @IsInt()
  @Min(0)
  timestamp!: number;

  /** When ingest accepted the event, epoch milliseconds; freshness is measured from here. */
  @IsInt()
  @Min(0)
  receivedAt!: number;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  sessionId?: string;

  @IsOptional()
  @IsObject()
  context?: Record<string, string>;
}
