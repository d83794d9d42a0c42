import { Logger } from '@nestjs/common';
import { type FastifyInstance } from 'fastify';
import { type KairosRequest, matchedRoute } from './kairos-request';
import { logInTrace } from './log-trace';

const logger = new Logger('access');

/**
 * One debug line per request: method, route template (never the concrete path or query, which
 * can hold ids or a key pasted in the wrong place), status, duration, trace id and the key's
 * name. Headers and bodies are never logged, so neither is a key.
 */
export function installAccessLog(server: FastifyInstance): void {
  server.addHook('onResponse', (request, reply, done) => {
    const { apiKey, kairosTrace } = request as KairosRequest;
    // After the response, outside the request's context: the ids are given explicitly.
    logInTrace(kairosTrace, () =>
      logger.debug(
        `${request.method} ${matchedRoute(request) ?? '(no route)'} ${reply.statusCode} ` +
          `${reply.elapsedTime.toFixed(1)}ms key=${apiKey?.name ?? '-'} ` +
          `trace=${kairosTrace?.traceId ?? '-'}`,
      ),
    );
    done();
  });
}
