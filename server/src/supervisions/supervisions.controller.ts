import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, SupervisionView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { CloseSupervisionDto, ListSupervisionsQuery, RespondSupervisionDto } from './supervision.dto';
import { SupervisionsService } from './supervisions.service';

/** 督办: the queue (command centers, viewers, departments), the department's answer, the dispatcher's close. */
@ApiTags('supervisions')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('supervisions')
export class SupervisionsController {
  constructor(private readonly supervisions: SupervisionsService) {}

  @Get()
  @Roles('dispatcher', 'viewer', 'admin', 'dept_lead', 'dept_staff')
  @ApiOperation({
    summary: '督办列表 Supervisions',
    description:
      'Newest first, of issues in the caller’s scope: dispatchers and viewers their region subtree, department roles their department’s issues. ' +
      'Automatic (SLA breach, escalation) and by hand alike.',
  })
  @ApiOkResponse({ description: '`Page<SupervisionView>`' })
  @ApiValidationFailed('state must be one of the following values: open, closed')
  @ApiErrorResponse(404, 'The region or department asked for is outside the caller’s scope', { NOT_FOUND: 'Region 2 not found' })
  list(@CurrentActor() actor: Actor, @Query() q: ListSupervisionsQuery): Promise<Page<SupervisionView>> {
    return this.supervisions.list(actor, q);
  }

  @Post(':id/respond')
  @HttpCode(200)
  @Roles('dept_lead', 'dept_staff')
  @ApiOperation({
    summary: '答复督办 Answer a supervision',
    description: 'The department of the issue answers; allowed while the 督办 is open.',
  })
  @ApiOkResponse({ description: 'The answered `SupervisionView`' })
  @ApiValidationFailed('note must be longer than or equal to 1 characters')
  @ApiErrorResponse(404, 'Not in the caller’s scope', { SUPERVISION_NOT_FOUND: 'Supervision 3 not found' })
  @ApiErrorResponse(409, 'Closed already', { SUPERVISION_CLOSED: 'Supervision 3 was closed already' })
  respond(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: RespondSupervisionDto): Promise<SupervisionView> {
    return this.supervisions.respond(actor, id, body.note);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: '办结督办 Close a supervision', description: 'A command center in scope closes the 督办 (answered or not).' })
  @ApiOkResponse({ description: 'The closed `SupervisionView`' })
  @ApiValidationFailed('note must be longer than or equal to 1 characters')
  @ApiErrorResponse(404, 'Not in the caller’s scope', { SUPERVISION_NOT_FOUND: 'Supervision 3 not found' })
  @ApiErrorResponse(409, 'Closed already', { SUPERVISION_CLOSED: 'Supervision 3 was closed already' })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: CloseSupervisionDto): Promise<SupervisionView> {
    return this.supervisions.close(actor, id, body.note);
  }
}
