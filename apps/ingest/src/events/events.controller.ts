import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IngestBatchDto, IngestEventDto } from '@kairos/contracts';
import { type KairosRequest, RequireScope, requestTrace } from '@kairos/http';
import { type BatchResult, EventIntakeService } from './event-intake.service';

@ApiTags('events')
@RequireScope('events:write')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Record one user event',
    description: 'Answers 202 only after the broker acknowledged the write.',
  })
  @ApiAcceptedResponse({ schema: { example: { eventId: '0192f5e4-7b1c-7cc3-9b5e-3f1f0c2d4e5a' } } })
  @ApiBadRequestResponse({
    schema: {
      example: {
        error: {
          code: 'validation_failed',
          message: 'userId: userId must be 1-128 characters of [A-Za-z0-9._:@-]',
          details: [
            { field: 'userId', reason: 'userId must be 1-128 characters of [A-Za-z0-9._:@-]' },
          ],
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'The broker could not take the write; retry after Retry-After seconds.',
  })
  record(
    @Body() event: IngestEventDto,
    @Req() request: KairosRequest,
  ): Promise<{ eventId: string }> {
    return this.intake.acceptOne(event, requestTrace(request));
  }

  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Record up to 1,000 events (1 MiB)',
    description: 'Invalid entries are reported by index; valid ones are accepted.',
  })
  @ApiAcceptedResponse({
    schema: {
      example: {
        accepted: 1,
        rejected: 1,
        results: [
          { index: 0, eventId: '0192f5e4-7b1c-7cc3-9b5e-3f1f0c2d4e5a', status: 'accepted' },
          {
            index: 1,
            eventId: null,
            status: 'rejected',
            error: {
              code: 'validation_failed',
              message:
                'type: type must be one of view, click, add_to_cart, purchase, like, dislike, rating',
              details: [
                {
                  field: 'type',
                  reason:
                    'type must be one of view, click, add_to_cart, purchase, like, dislike, rating',
                },
              ],
            },
          },
        ],
      },
    },
  })
  recordBatch(@Body() batch: IngestBatchDto, @Req() request: KairosRequest): Promise<BatchResult> {
    return this.intake.acceptBatch(batch.events, requestTrace(request));
  }
}
