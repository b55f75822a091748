import { Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTransitionAction, TRANSITION_ACTIONS, type IssueActionResult, type IssueDetail, type IssueEventView, type IssueSummary, type Page } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { readBodyWithPhotos } from '../attachments/read-request';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { ACTION_DTOS } from './dto/action.dto';
import { ListIssuesQuery } from './dto/list-issues.query';
import { ReportIssueDto } from './dto/report-issue.dto';
import { IssueQueriesService } from './issue-queries.service';
import { IssueReportService } from './issue-report.service';
import { IssueTransitionsService } from './issue-transitions.service';

const MULTIPART_NOTE = 'JSON body, or multipart/form-data with the same JSON in a "data" field and up to 9 "photos" (JPEG/PNG/WebP, 10 MB each)';

@ApiTags('issues')
@ApiBearerAuth()
@Controller('issues')
export class IssuesController {
  constructor(
    private readonly reports: IssueReportService,
    private readonly transitions: IssueTransitionsService,
    private readonly queries: IssueQueriesService,
  ) {}

  /** 上报. A retry with the same Idempotency-Key returns the same issue (200) instead of a new one (201). */
  @Post()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: ReportIssueDto, description: MULTIPART_NOTE })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–128 printable ASCII characters, unique per report' })
  async report(
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<IssueDetail> {
    const { body, photos } = await readBodyWithPhotos(req, ReportIssueDto);
    const result = await this.reports.report(actor, body, photos, idempotencyKey);
    void reply.status(result.created ? 201 : 200);
    if (!result.created) void reply.header('Idempotent-Replayed', 'true');
    return result.detail ?? this.queries.detail(actor, result.issueId);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListIssuesQuery): Promise<Page<IssueSummary>> {
    return this.queries.list(actor, query);
  }

  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<IssueDetail> {
    return this.queries.detail(actor, id);
  }

  @Get(':id/events')
  events(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<IssueEventView[]> {
    return this.queries.events(actor, id);
  }

  /** Every workflow action; the body holds the action's fields and the `version` the caller saw. */
  @Post(':id/actions/:action')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ description: `${MULTIPART_NOTE}. Actions: ${TRANSITION_ACTIONS.join(', ')}` })
  async act(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('action') action: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssueActionResult> {
    if (!isTransitionAction(action)) {
      throw new AppException('VALIDATION_FAILED', `Unknown action "${action}"`, { allowed: TRANSITION_ACTIONS });
    }
    const { body, photos } = await readBodyWithPhotos(req, ACTION_DTOS[action]);
    const outcome = await this.transitions.apply(actor, id, action, body, photos);
    void reply.status(200);
    return this.queries.detail(actor, id).catch((err: unknown) => {
      // The action may take the issue out of the caller's sight (a lead returning it): say only what changed.
      if (err instanceof AppException && err.code === 'ISSUE_NOT_FOUND') return { id, status: outcome.toStatus, version: outcome.version, visible: false };
      throw err;
    });
  }
}
