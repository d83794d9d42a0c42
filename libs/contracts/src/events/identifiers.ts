/**
 * User and item ids travel as Kafka keys, Mongo keys and URL segments, so they are restricted
 * to characters that are safe in all three without escaping.
 */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
export const ENTITY_ID_MAX_LENGTH = 128;
export const EVENT_ID_MAX_LENGTH = 128;
