import { type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type KairosConfig } from '@kairos/config';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ErrorCode } from './errors/error-code';
import { KairosError } from './errors/kairos.error';
import { writeErrorResponse } from './errors/api-exception.filter';
import { installAccessLog } from './request/access-log.hook';
import { type KairosRequest } from './request/kairos-request';
import { answerClientError } from './request/client-error';
import { installReservedKeyCheck } from './request/reserved-keys';
import { type RequestTracer } from './request/request-tracer';
import { installSecureHeaders } from './request/secure-headers';
import { installTraceHooks } from './request/trace-hooks';

/** Largest accepted request body (a batch of 1,000 events fits comfortably). */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * The HTTP server every app runs on. Fastify rather than Express: a bare NestJS hello route
 * answered about 6,000 requests/s on Express and 36,000-42,000 on Fastify on our 2-core
 * machines (wrk, 32 connections), and a cached GET is mostly framework time.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    // The body limit is the JSON parser's (installHttpPolicies), the only parser installed.
    routerOptions: {
      // Ids may be up to 128 characters; a longer one must reach the id check and get a 400
      // naming the parameter, not a 404 from the router's default limit of 100.
      maxParamLength: 1_024,
      // As Express did: `/v1/items/x/` is `/v1/items/x`.
      ignoreTrailingSlash: true,
    },
    clientErrorHandler: answerClientError,
    // A path Fastify cannot decode (`/v1/items/%`) never reaches a hook or the exception
    // filter: answered here, in the same error shape.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      writeErrorResponse(
        new KairosError(ErrorCode.ValidationFailed, error.message, [
          { field: 'path', reason: 'must be a valid percent-encoded URL path' },
        ]),
        request as KairosRequest,
        reply,
      ),
    // No Nest middleware is used (every policy is a Fastify hook), so no middie layer either.
    skipMiddie: true,
  });
}

/**
 * Protections shared by all apps, as Fastify hooks that run before routing's handler: trace
 * ids, secure headers, CORS only where configured, JSON-only bodies with a size limit, and no
 * reserved keys in queries or bodies. `tracer` (null when tracing is off) makes the server
 * spans. Errors raised here reach the same exception filter as those raised in controllers.
 */
export function configureHttpApp(
  app: INestApplication,
  config: KairosConfig,
  tracer: RequestTracer | null = null,
): void {
  installHttpPolicies(app.getHttpAdapter().getInstance() as FastifyInstance, config, tracer);
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
}

/** The hooks and the body parser of configureHttpApp, on a bare Fastify instance. */
export function installHttpPolicies(
  server: FastifyInstance,
  config: Pick<KairosConfig, 'logLevel'>,
  tracer: RequestTracer | null,
): void {
  // Declared up front so every request object has these fields from the start (one shape).
  server.decorateRequest('kairosTrace', null);
  server.decorateRequest('kairosTracing', null);
  server.decorateRequest('apiKey', null);
  installTraceHooks(server, tracer);
  // The access log is a debug line: at other levels it is not even listened for.
  if (config.logLevel === 'debug') installAccessLog(server);
  installSecureHeaders(server);
  server.addHook('preParsing', (request, _reply, payload, done) => {
    done(requireJsonBody(request), payload);
  });
  server.removeAllContentTypeParsers();
  // Every body that gets this far is declared JSON in UTF-8 (requireJsonBody).
  server.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  installReservedKeyCheck(server);
}

function isJsonContentType(contentType: string | undefined): boolean {
  return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType ?? '');
}

/**
 * A request that carries a body must declare JSON, in UTF-8 (RFC 8259); anything else is 415,
 * not a parse error, and is refused before the body is read. GET and HEAD take none.
 */
function requireJsonBody(request: FastifyRequest): KairosError | null {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? '0') > 0;
  if (!hasBody) return null;
  // Fastify never reads the body of a GET or HEAD, so one sent anyway would go unchecked.
  if (request.method === 'GET' || request.method === 'HEAD') {
    return new KairosError(ErrorCode.MalformedBody, `a ${request.method} request takes no body`, [
      { field: 'body', reason: 'must be absent' },
    ]);
  }
  const contentType = request.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    return new KairosError(ErrorCode.UnsupportedMediaType, 'request body must be application/json');
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return new KairosError(ErrorCode.UnsupportedMediaType, 'a JSON body must be UTF-8');
  }
  return null;
}

/** Objects and arrays only, as a JSON API's bodies are; an empty body is no body. */
function parseJsonBody(text: string): unknown {
  const start = /\S/.exec(text);
  if (start === null) return undefined;
  if (start[0] === '{' || start[0] === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Reported below, with the same answer as a body that is not an object or array.
    }
  }
  throw new KairosError(ErrorCode.MalformedBody, 'request body is not valid JSON', [
    { field: 'body', reason: 'body must be valid JSON' },
  ]);
}
