/** Stable, documented error codes; clients switch on these, never on messages. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedBody = 'malformed_body',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  RateLimited = 'rate_limited',
  BrokerUnavailable = 'broker_unavailable',
  Overloaded = 'overloaded',
  /** The model version exists but may not serve (rejected, pending, or failed re-validation). */
  ModelNotActivatable = 'model_not_activatable',
  Internal = 'internal_error',
}

/** The one mapping from error code to HTTP status; exhaustive, so a new code cannot be forgotten. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedBody:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.ModelNotActivatable:
      return 409;
    case ErrorCode.BrokerUnavailable:
    case ErrorCode.Overloaded:
      return 503;
    case ErrorCode.Internal:
      return 500;
  }
}
