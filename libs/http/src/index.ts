export { ErrorCode, httpStatusOf } from './errors/error-code';
export { KairosError } from './errors/kairos.error';
export { ApiExceptionFilter, type ErrorBody } from './errors/api-exception.filter';
export { KairosHttpModule, createValidationPipe } from './http.module';
export {
  configureHttpApp,
  createHttpAdapter,
  installHttpPolicies,
  MAX_BODY_BYTES,
} from './configure-http-app';
export { RequireScope, PublicRoute } from './auth/scopes.decorator';
export { ApiKeyAuthenticator } from './auth/api-key.authenticator';
export { TokenBuckets } from './auth/token-bucket';
export { type KairosReply, type KairosRequest, matchedRoute } from './request/kairos-request';
export { type RequestTracer, type TracedRequest } from './request/request-tracer';
export {
  acceptedBaggage,
  recordTraceHeaders,
  traceFromHeaders,
  requestTrace,
  type RequestTrace,
} from './request/trace-context';
export { logInTrace, loggingTrace } from './request/log-trace';
export { ENTERS_TRACE_ITSELF, EntersTraceItself, inRequestTrace } from './request/trace-hooks';
export { checkedEntityId } from './request/checked-entity-id';
