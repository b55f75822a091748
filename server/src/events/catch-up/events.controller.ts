import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventPage } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { EventsCatchUpService } from './events-catch-up.service';
import { ListEventsQuery } from './list-events.query';

@ApiTags('events')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsCatchUpService) {}

  @Get()
  @ApiOperation({
    summary: '事件流补取 Domain events after a cursor',
    description:
      'The delivered domain events after `after` (an event id, as in `webhook-id`), in delivery order, limited to the issues the caller ' +
      'may see (the issue list rule, applied to the issue as it was at each event). Answers `{ items: DomainEventEnvelope[], nextAfter }`; ' +
      'pass `nextAfter` as the next `after`. Order one issue by `data.seq`.',
  })
  @ApiOkResponse({ description: 'One page of events: `{ items, nextAfter }`' })
  @ApiValidationFailed('after: after must be an event id (a decimal number)')
  @ApiErrorResponse(404, 'The issue of `issueId` does not exist or the caller may not see it', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  list(@CurrentActor() actor: Actor, @Query() query: ListEventsQuery): Promise<EventPage> {
    return this.events.list(actor, query);
  }
}
