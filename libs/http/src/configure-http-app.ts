import { type IncomingMessage } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { type KairosConfig } from '@kairos/config';
import express, { type NextFunction, type Request, type Response } from 'express';
import { expressErrorHandler } from './errors/api-exception.filter';
import { ErrorCode } from './errors/error-code';
import { KairosError } from './errors/kairos.error';
import { rejectReservedKeys } from './request/reserved-keys';
import { accessLogMiddleware } from './request/access-log.middleware';
import { type Middleware, middlewareChain } from './request/middleware-chain';
import { type RequestTracer } from './request/request-tracer';
import { secureHeaders } from './request/secure-headers';
import { traceMiddlewares } from './request/trace.middleware';

/** Largest accepted request body (a batch of 1,000 events fits comfortably). */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * Express-level protections shared by all apps, applied before routing: trace ids, secure
 * headers, CORS only where configured, JSON-only bodies with a size limit. `tracer` (null when
 * tracing is off) makes the server spans; `leading` middlewares (the metrics) run first of all.
 * The policies run as one Express layer (middlewareChain), in the order listed.
 */
export function configureHttpApp(
  app: INestApplication,
  config: KairosConfig,
  tracer: RequestTracer | null = null,
  leading: readonly Middleware[] = [],
): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  // No ETag: hashing every JSON answer cost more than the list lookup it serves, and API clients
  // re-fetch recommendations for freshness rather than revalidating them.
  server.set('etag', false);
  const { startTrace, enterTraceContext } = traceMiddlewares(tracer);
  server.use(
    middlewareChain([
      ...leading,
      startTrace,
      // The access log is a debug line: at other levels it is not even listened for.
      ...(config.logLevel === 'debug' ? [accessLogMiddleware] : []),
      secureHeaders(),
    ]),
  );
  if (config.http.corsOrigins.length > 0) {
    const origins = config.http.corsOrigins;
    app.enableCors({
      // `*` itself rather than echoing each origin: cacheable, and honest about what is allowed.
      origin: origins.includes('*') ? '*' : [...origins],
      allowedHeaders: ['Authorization', 'Content-Type', 'traceparent', 'tracestate', 'baggage'],
      exposedHeaders: ['x-trace-id', 'traceparent', 'Retry-After'],
      maxAge: 600,
    });
  }
  server.use(
    middlewareChain([
      requireJsonBody,
      express.json({ limit: MAX_BODY_BYTES, strict: true, type: isJsonContentType }),
      rejectReservedKeys,
      enterTraceContext,
    ]),
  );
  app.use(expressErrorHandler);
}

function isJsonContentType(request: IncomingMessage): boolean {
  return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

/**
 * A request that carries a body must declare JSON, in UTF-8 (RFC 8259); anything else is 415,
 * not a parse error. body-parser alone would decode any `utf-*` charset, UTF-7 included.
 */
function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? '0') > 0;
  if (hasBody && !isJsonContentType(request)) {
    next(new KairosError(ErrorCode.UnsupportedMediaType, 'request body must be application/json'));
    return;
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(
    request.headers['content-type'] ?? '',
  )?.[1];
  if (hasBody && charset !== undefined && !/^utf-?8$/i.test(charset)) {
    next(new KairosError(ErrorCode.UnsupportedMediaType, 'a JSON body must be UTF-8'));
    return;
  }
  next();
}
