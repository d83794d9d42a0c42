import { ENTITY_ID_PATTERN } from '@kairos/contracts';
import { KairosError } from '../errors/kairos.error';

/** A path parameter that names a user or an item: returned as is, or a 400 naming `field`. */
export function checkedEntityId(field: 'userId' | 'itemId', value: string): string {
  if (!ENTITY_ID_PATTERN.test(value)) {
    throw KairosError.validation([
      { field, reason: `${field} must be 1-128 characters of [A-Za-z0-9._:@-]` },
    ]);
  }
  return value;
}
