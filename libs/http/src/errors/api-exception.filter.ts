import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { type Response } from 'express';
import { type KairosRequest } from '../request/kairos-request';
import { ErrorCode, httpStatusOf } from './error-code';
import { KairosError } from './kairos.error';

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: unknown;
    readonly traceId?: string;
  };
}

/**
 * The single place errors become HTTP responses, with one stable body shape:
 * `{ error: { code, message, details?, traceId? } }`. Unknown errors are logged and become a
 * 500 without internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    writeErrorResponse(
      exception,
      host.switchToHttp().getRequest<KairosRequest>(),
      host.switchToHttp().getResponse<Response>(),
    );
  }
}

/**
 * Express error middleware for failures before routing (body parsing, content type), so they
 * get the same body as errors raised in controllers.
 */
export function expressErrorHandler(
  exception: unknown,
  request: KairosRequest,
  response: Response,
  next: (error?: unknown) => void,
): void {
  if (response.headersSent) {
    next(exception);
    return;
  }
  writeErrorResponse(exception, request, response);
}

const logger = new Logger('http');

function writeErrorResponse(exception: unknown, request: KairosRequest, response: Response): void {
  const error = toKairosError(exception, request);
  const status = httpStatusOf(error.code);
  if (error.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
  }
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
      ...(request.kairosTrace ? { traceId: request.kairosTrace.traceId } : {}),
    },
  };
  response.status(status).json(body);
}

function toKairosError(exception: unknown, request: KairosRequest): KairosError {
  if (exception instanceof KairosError) return exception;
  const bodyParserError = asBodyParserError(exception);
  if (bodyParserError !== null) return bodyParserError;
  if (exception instanceof HttpException) return fromHttpException(exception);
  // The route template, not the path: a path can carry ids, or a key pasted in the wrong place.
  const route = (request.route as { path?: unknown } | undefined)?.path;
  logger.error(
    `unhandled error on ${request.method} ${typeof route === 'string' ? route : '(no route)'} ` +
      `trace=${request.kairosTrace?.traceId ?? '-'}`,
    exception instanceof Error ? exception.stack : String(exception),
  );
  return new KairosError(ErrorCode.Internal, 'internal error');
}

function fromHttpException(exception: HttpException): KairosError {
  const status = exception.getStatus();
  switch (status) {
    case 404:
      return new KairosError(ErrorCode.NotFound, exception.message);
    case 413:
      return new KairosError(ErrorCode.PayloadTooLarge, exception.message);
    case 415:
      return new KairosError(ErrorCode.UnsupportedMediaType, exception.message);
    case 401:
      return new KairosError(ErrorCode.Unauthenticated, exception.message);
    case 403:
      return new KairosError(ErrorCode.Forbidden, exception.message);
    case 429:
      return new KairosError(ErrorCode.RateLimited, exception.message);
    default:
      return status < 500
        ? new KairosError(ErrorCode.ValidationFailed, exception.message)
        : new KairosError(ErrorCode.Internal, 'internal error');
  }
}

/** body-parser reports oversized and unparsable bodies as errors with a `type`. */
function asBodyParserError(exception: unknown): KairosError | null {
  if (typeof exception !== 'object' || exception === null || !('type' in exception)) return null;
  const { type } = exception;
  switch (type) {
    case 'entity.too.large':
      return new KairosError(ErrorCode.PayloadTooLarge, 'request body exceeds the size limit');
    case 'entity.parse.failed':
      return new KairosError(ErrorCode.MalformedBody, 'request body is not valid JSON', [
        { field: 'body', reason: 'body must be valid JSON' },
      ]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new KairosError(
        ErrorCode.UnsupportedMediaType,
        'unsupported body encoding or charset',
      );
    default:
      return null;
  }
}
