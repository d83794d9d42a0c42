import { ModelRejection } from './rejection';

/**
 * Model names, versions and the files a manifest lists are single path segments of these
 * characters. No separators means no way to point outside the version directory, whatever
 * the platform; `.` and `..` are excluded explicitly because they match the character class.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;

export function isSafeSegment(value: string): boolean {
  return SAFE_SEGMENT.test(value) && value !== '.' && value !== '..';
}

/** Throws UNSAFE_PATH naming the offending field, so the operator knows what to fix. */
export function assertSafeSegment(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isSafeSegment(value)) {
    throw new ModelRejection(
      'UNSAFE_PATH',
      `${field} ${JSON.stringify(value)} must be one path segment of [A-Za-z0-9._-] (at most 128 characters, not "." or "..")`,
    );
  }
  return value;
}
