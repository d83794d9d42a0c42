import { type ClassConstructor } from 'class-transformer';
import { RecordHeader, SCHEMA_VERSION, validateDto } from '@kairos/contracts';
import { type InboundMessage } from './inbound-message';

/** Why a record can never be processed; becomes the DLQ headers. */
export interface DecodeFailure {
  readonly code:
    'malformed_json' | 'schema_violation' | 'unsupported_schema_version' | 'missing_value';
  readonly reason: string;
}

export type Decoded<T> = { readonly value: T } | { readonly failure: DecodeFailure };

/** Upper bound on a record we try to parse; larger ones are poison, not data. */
const MAX_VALUE_BYTES = 1_048_576;

/**
 * Parses and validates a record with the same DTO rules as the HTTP API, so a record written by
 * any producer (not only ours) is checked before it touches state.
 */
export function decodeRecord<T extends object>(
  message: InboundMessage,
  dto: ClassConstructor<T>,
): Decoded<T> {
  const version = message.headers[RecordHeader.SchemaVersion];
  if (version !== undefined && version !== SCHEMA_VERSION) {
    return {
      failure: {
        code: 'unsupported_schema_version',
        reason: `schema version ${version} is not ${SCHEMA_VERSION}`,
      },
    };
  }
  if (message.value === null || message.value.length === 0) {
    return { failure: { code: 'missing_value', reason: 'record has no value' } };
  }
  if (message.value.length > MAX_VALUE_BYTES) {
    return {
      failure: {
        code: 'schema_violation',
        reason: `value of ${message.value.length} bytes exceeds ${MAX_VALUE_BYTES}`,
      },
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return {
      failure: {
        code: 'malformed_json',
        reason: error instanceof Error ? error.message : 'invalid JSON',
      },
    };
  }
  const validated = validateDto(dto, parsed);
  if ('issues' in validated) {
    const reason = validated.issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
    return { failure: { code: 'schema_violation', reason: reason.slice(0, 1_000) } };
  }
  return { value: validated.value };
}
