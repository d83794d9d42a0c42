import { Logger } from '@nestjs/common';
import { type NextFunction, type Response } from 'express';
import { type KairosRequest } from './kairos-request';

const logger = new Logger('access');

/**
 * One debug line per request: method, route template (never the concrete path or query, which
 * can hold ids or a key pasted in the wrong place), status, duration, trace id and the key's
 * name. Headers and bodies are never logged, so neither is a key.
 */
export function accessLogMiddleware(
  request: KairosRequest,
  response: Response,
  next: NextFunction,
): void {
  const started = performance.now();
  response.once('finish', () => {
    const route = (request.route as { path?: unknown } | undefined)?.path;
    logger.debug(
      `${request.method} ${typeof route === 'string' ? route : '(no route)'} ${response.statusCode} ` +
        `${(performance.now() - started).toFixed(1)}ms key=${request.apiKey?.name ?? '-'} ` +
        `trace=${request.kairosTrace?.traceId ?? '-'}`,
    );
  });
  next();
}
