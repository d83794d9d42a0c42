import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiScope, InjectConfig, type KairosConfig } from '@kairos/config';
import { ErrorCode } from '../errors/error-code';
import { KairosError } from '../errors/kairos.error';
import { type KairosReply, type KairosRequest } from '../request/kairos-request';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './scopes.decorator';
import { TokenBuckets } from './token-bucket';

/**
 * Global guard: every route needs a Bearer key with its declared scope (routes that declare
 * none need `admin`: closed by default), except those marked @PublicRoute(). Then applies the
 * key's rate limit.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('auth');
  private readonly authenticator: ApiKeyAuthenticator;
  private readonly buckets = new TokenBuckets();

  constructor(
    private readonly reflector: Reflector,
    @InjectConfig() private readonly config: KairosConfig,
  ) {
    this.authenticator = new ApiKeyAuthenticator(config.http.apiKeys);
  }

  onModuleInit(): void {
    if (!this.config.http.authEnabled) {
      this.logger.warn(
        '\n' +
          '  ************************************************************************\n' +
          '  *  KAIROS_AUTH=off: API keys are NOT checked. Any client may write      *\n' +
          '  *  events and items and read recommendations. Use for local runs only. *\n' +
          '  ************************************************************************',
      );
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<KairosRequest>();
    if (!this.config.http.authEnabled) {
      request.apiKey = null;
      return true;
    }
    const scope = this.reflector.getAllAndOverride<ApiScope>(REQUIRED_SCOPE, targets) ?? 'admin';
    const key = this.authenticator.authenticate(bearerToken(request) ?? '');
    if (key === null) {
      context.switchToHttp().getResponse<KairosReply>().header('WWW-Authenticate', 'Bearer');
      throw new KairosError(
        ErrorCode.Unauthenticated,
        bearerToken(request) === null
          ? 'missing API key: send Authorization: Bearer <key>'
          : 'unknown API key',
      );
    }
    if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
      throw new KairosError(ErrorCode.Forbidden, `API key "${key.name}" lacks the scope ${scope}`);
    }
    request.apiKey = key;
    const rate = key.ratePerSecond ?? this.config.http.rateLimitPerSecond;
    const burst =
      key.ratePerSecond === null ? this.config.http.rateLimitBurst : key.ratePerSecond * 2;
    const retryAfter = this.buckets.take(key.name, rate, burst);
    if (retryAfter > 0) {
      throw new KairosError(
        ErrorCode.RateLimited,
        `rate limit of ${rate} requests/s exceeded for API key "${key.name}"`,
        undefined,
        retryAfter,
      );
    }
    return true;
  }
}

function bearerToken(request: KairosRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return match?.[1] ?? null;
}
