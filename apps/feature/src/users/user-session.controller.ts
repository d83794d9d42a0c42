import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ENTITY_ID_PATTERN, type SessionFeaturesMessage } from '@kairos/contracts';
import { ErrorCode, KairosError, RequireScope, checkedEntityId } from '@kairos/http';
import { SessionUpdateService } from '../events/session-update.service';
import { toSessionFeatures } from '../sessions/session-features';
import { UserStateStore } from '../storage/user-state.store';
import { type Clock, InjectClock } from '@kairos/config';

@ApiTags('users')
@RequireScope('recommendations:read')
@Controller('v1/users')
export class UserSessionController {
  constructor(
    private readonly users: UserStateStore,
    private readonly sessions: SessionUpdateService,
    @InjectClock() private readonly clock: Clock,
  ) {}

  @Get(':userId/session')
  @ApiOperation({ summary: "A user's current session window and profile summary" })
  @ApiParam({
    name: 'userId',
    schema: { type: 'string', pattern: ENTITY_ID_PATTERN.source },
    example: 'user-42',
  })
  @ApiOkResponse({
    description: 'The same snapshot the feature service publishes on session-features.',
  })
  async session(@Param('userId') userId: string): Promise<SessionFeaturesMessage> {
    checkedEntityId('userId', userId);
    const state = await this.users.findOne(userId);
    if (state === null)
      throw new KairosError(ErrorCode.NotFound, `no session state for user ${userId}`);
    return toSessionFeatures(state, this.sessions.rules, this.clock());
  }
}
