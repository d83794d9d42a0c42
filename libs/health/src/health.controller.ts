import {
  type Abstract,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Res,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PublicRoute } from '@kairos/http';
import { type FastifyReply } from 'fastify';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';

interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** A probe that hangs is as bad as a failing one: each check gets this long to answer. */
const CHECK_TIMEOUT_MS = 2_000;

// Probes come from orchestrators that hold no API key.
@PublicRoute()
@Controller('health')
export class HealthController {
  private resolved: readonly ReadinessCheck[] | null = null;

  constructor(
    @Inject(READINESS_CHECKS)
    private readonly checkTypes: ReadonlyArray<Type<ReadinessCheck> | Abstract<ReadinessCheck>>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Resolved on first probe, when every module of the app has been instantiated. */
  private get checks(): readonly ReadinessCheck[] {
    this.resolved ??= this.checkTypes.map((type) => this.moduleRef.get(type, { strict: false }));
    return this.resolved;
  }

  /** Liveness: the event loop answers. Dependencies are readiness's business, not liveness's. */
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<ReadinessReport> {
    const checks: Record<string, CheckResult> = {};
    await Promise.all(
      this.checks.map(async (check) => {
        try {
          await withTimeout(check.check(), CHECK_TIMEOUT_MS);
          checks[check.name] = { ok: true };
        } catch (error) {
          checks[check.name] = { ok: false, error: errorMessage(error) };
        }
      }),
    );
    const ready = Object.values(checks).every((result) => result.ok);
    response.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'not_ready', checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
