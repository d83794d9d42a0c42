import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCode, KairosError, RequireScope } from '@kairos/http';
import {
  isSafeSegment,
  type ModelRef,
  ModelRegistry,
  ModelRegistryError,
  type RegistrySnapshot,
} from '@kairos/model';

export interface ActivationResponse {
  readonly active: ModelRef;
  readonly models: RegistrySnapshot;
}

/** Operators' view of MODEL_DIR: every version with its status, activation and rollback. */
@ApiTags('models')
@RequireScope('admin')
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly registry: ModelRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'Every model version with status, refusal reason, load time and validation timings',
  })
  @ApiOkResponse({ description: 'Versions newest first; `active` is the one serving.' })
  list(): RegistrySnapshot {
    return this.registry.snapshot();
  }

  @Post(':name/:version/activate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Serve this version now (re-validated first); pins it until a newer version is copied in',
  })
  @ApiParam({ name: 'name', example: 'kairos-default' })
  @ApiParam({ name: 'version', example: '2026-05-01.1' })
  async activate(
    @Param('name') name: string,
    @Param('version') version: string,
  ): Promise<ActivationResponse> {
    const issues = [
      ...(isSafeSegment(name)
        ? []
        : [{ field: 'name', reason: 'name must be 1-128 characters of [A-Za-z0-9._-]' }]),
      ...(isSafeSegment(version)
        ? []
        : [{ field: 'version', reason: 'version must be 1-128 characters of [A-Za-z0-9._-]' }]),
    ];
    if (issues.length > 0) throw KairosError.validation(issues);
    return this.respond(() => this.registry.activate(name, version));
  }

  @Post('rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Serve the previously active version again' })
  rollback(): Promise<ActivationResponse> {
    return this.respond(() => this.registry.rollback());
  }

  private async respond(change: () => Promise<ModelRef>): Promise<ActivationResponse> {
    try {
      const active = await change();
      return { active, models: this.registry.snapshot() };
    } catch (error) {
      throw toKairosError(error);
    }
  }
}

function toKairosError(error: unknown): unknown {
  if (!(error instanceof ModelRegistryError)) return error;
  const details = error.reason === undefined ? undefined : { reason: error.reason };
  switch (error.code) {
    case 'NOT_FOUND':
      return new KairosError(ErrorCode.NotFound, error.message);
    case 'NOT_ACTIVATABLE':
    case 'NO_ACTIVE_MODEL':
      return new KairosError(ErrorCode.ModelNotActivatable, error.message, details);
  }
}
