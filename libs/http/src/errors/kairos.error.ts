import { type FieldIssue } from '@kairos/contracts';
import { ErrorCode } from './error-code';

/**
 * A domain error: what went wrong (code), for whom (message) and, for 429/503, when to retry.
 * Services throw these; the exception filter alone decides how they look on the wire.
 */
export class KairosError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>> | readonly FieldIssue[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'KairosError';
  }

  static validation(issues: readonly FieldIssue[]): KairosError {
    const first = issues[0];
    const summary = first === undefined ? 'invalid request' : `${first.field}: ${first.reason}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new KairosError(ErrorCode.ValidationFailed, `${summary}${more}`, issues);
  }
}
