import { type CanActivate, Injectable } from '@nestjs/common';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { ErrorCode, KairosError } from '@kairos/http';

/** The demo's routes answer 404 unless KAIROS_DEMO is on (by default only with auth off). */
@Injectable()
export class DemoEnabledGuard implements CanActivate {
  constructor(@InjectConfig() private readonly config: KairosConfig) {}

  canActivate(): boolean {
    if (this.config.demo.enabled) return true;
    throw new KairosError(
      ErrorCode.NotFound,
      'the demo page is off: it runs with KAIROS_AUTH=off (KAIROS_DEMO defaults to on then)',
    );
  }
}
