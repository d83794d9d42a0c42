import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsNumber,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVENT_TYPES, type EventType } from '../events/event-type';
import { ENTITY_ID_PATTERN, EVENT_ID_MAX_LENGTH } from '../events/identifiers';

/** Upper bound on the window a record may carry; the feature service keeps 50 by default. */
const MAX_WINDOW_EVENTS = 1_000;

export class SessionWindowEventRecord {
  @IsString()
  @Matches(ENTITY_ID_PATTERN)
  itemId!: string;

  @IsIn(EVENT_TYPES)
  type!: EventType;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;

  @IsInt()
  @Min(0)
  timestamp!: number;
}

export class SessionWindowRecord {
  @IsString()
  sessionId!: string;

  @Allow() startedAt!: unknown;
  @Allow() lastEventAt!: unknown;
  @Allow() countsByType!: unknown;
  @Allow() eventCount!: unknown;
  @Allow() distinctItems!: unknown;

  @IsArray()
  @ArrayMaxSize(MAX_WINDOW_EVENTS)
  @ValidateNested({ each: true })
  @Type(() => SessionWindowEventRecord)
  events!: SessionWindowEventRecord[];
}

export class SessionProfileRecord {
  @IsInt()
  @Min(0)
  totalEvents!: number;

  @Allow() totalsByType!: unknown;
  @Allow() sessionCount!: unknown;
  @Allow() topItems!: unknown;
  @Allow() topCategories!: unknown;
}

/**
 * What the recommender reads of a `session-features` record (SessionFeaturesMessage), validated
 * like every Kafka payload: the user, the window's events and the provenance of the update.
 * Fields it does not use are declared with `@Allow()`: accepted unchecked (the feature service
 * owns them), while any field nobody declared is still refused.
 */
export class SessionFeaturesRecord {
  @IsString()
  @Matches(ENTITY_ID_PATTERN)
  userId!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SessionWindowRecord)
  window!: SessionWindowRecord | null;

  @IsObject()
  @ValidateNested()
  @Type(() => SessionProfileRecord)
  profile!: SessionProfileRecord;

  @IsOptional()
  @IsString()
  @MaxLength(EVENT_ID_MAX_LENGTH)
  lastEventId!: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  eventTime!: number | null;

  @Allow() processedAt!: unknown;
}
