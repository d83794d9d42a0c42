import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { type Request } from 'express';
import { type Observable } from 'rxjs';
import { tracingEnabled } from './tracing-state';

/**
 * Names the HTTP server span after the matched route (`POST /v1/events`, `http.route`), which
 * the Express instrumentation would do at the price of a wrapper around every middleware layer
 * of every request; here it is one property write once Nest has routed the request.
 */
@Injectable()
export class TraceRouteInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (tracingEnabled() && execution.getType() === 'http') {
      const metadata = getRPCMetadata(context.active());
      const request = execution.switchToHttp().getRequest<Request>();
      const route = (request.route as { path?: unknown } | undefined)?.path;
      if (metadata?.type === RPCType.HTTP && typeof route === 'string') {
        metadata.route = `${request.baseUrl}${route}`;
      }
    }
    return next.handle();
  }
}
