import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { type KairosReply, type KairosRequest, matchedRoute } from '../request/kairos-request';
import { logInTrace } from '../request/log-trace';
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
 * 500 without internals. Nest also routes Fastify's own errors here (hooks, body parsing,
 * unknown routes), so those get the same body as errors raised in controllers.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    writeErrorResponse(
      exception,
      host.switchToHttp().getRequest<KairosRequest>(),
      host.switchToHttp().getResponse<KairosReply>(),
    );
  }
}

const logger = new Logger('http');

/** Answers `exception` in the one error shape (see ApiExceptionFilter). */
export function writeErrorResponse(
  exception: unknown,
  request: KairosRequest,
  reply: KairosReply,
): void {
  // A stream that failed after its headers went out can only be cut short, not answered.
  if (reply.sent) return;
  const error = toKairosError(exception, request);
  const status = httpStatusOf(error.code);
  if (error.retryAfterSeconds !== undefined) {
    reply.header('Retry-After', String(error.retryAfterSeconds));
  }
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
      ...(request.kairosTrace ? { traceId: request.kairosTrace.traceId } : {}),
    },
  };
  void reply.status(status).send(body);
}

function toKairosError(exception: unknown, request: KairosRequest): KairosError {
  if (exception instanceof KairosError) return exception;
  const fastifyError = asFastifyError(exception);
  if (fastifyError !== null) return fastifyError;
  if (exception instanceof HttpException) return fromHttpException(exception);
  // The route template, not the path: a path can carry ids, or a key pasted in the wrong place.
  logInTrace(request.kairosTrace, () =>
    logger.error(
      `unhandled error on ${request.method} ${matchedRoute(request) ?? '(no route)'} ` +
        `trace=${request.kairosTrace?.traceId ?? '-'}`,
      exception instanceof Error ? exception.stack : String(exception),
    ),
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

/**
 * Fastify reports what it refuses itself (an oversized body, a body shorter than its declared
 * length) as errors with an `FST_` code and an HTTP status.
 */
function asFastifyError(exception: unknown): KairosError | null {
  if (!(exception instanceof Error) || !('code' in exception) || !('statusCode' in exception)) {
    return null;
  }
  const { code, statusCode } = exception;
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number') {
    return null;
  }
  switch (statusCode) {
    case 413:
      return new KairosError(ErrorCode.PayloadTooLarge, 'request body exceeds the size limit');
    case 415:
      return new KairosError(ErrorCode.UnsupportedMediaType, exception.message);
    case 400:
      return new KairosError(ErrorCode.MalformedBody, exception.message, [
        { field: 'body', reason: exception.message },
      ]);
    default:
      return fromHttpException(new HttpException(exception.message, statusCode));
  }
}
