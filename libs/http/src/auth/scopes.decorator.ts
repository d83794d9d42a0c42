import { SetMetadata } from '@nestjs/common';
import { type ApiScope } from '@kairos/config';

export const REQUIRED_SCOPE = 'kairos:required-scope';
export const PUBLIC_ROUTE = 'kairos:public-route';

/** The scope a key needs for this route (`admin` keys pass every scope check). */
export const RequireScope = (scope: ApiScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, scope);

/** Opt-out of auth for operational endpoints (health, metrics, docs). Everything else is closed. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
