import { Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ACTION_PHOTO_KIND,
  isTransitionAction,
  TRANSITION_ACTIONS,
  type IssueActionResult,
  type IssueDetail,
  type IssueEventView,
  type IssueReceipt,
  type IssueSummary,
  type Page,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { UploadReader } from '../attachments/upload-reader';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { prefersMinimalReturn } from '../common/prefer-header';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { ApiJsonOrMultipartBody } from '../common/openapi/json-or-multipart';
import { ACTION_DTO_CLASSES, ACTION_DTOS } from './dto/action.dto';
import { ListIssuesQuery } from './dto/list-issues.query';
import { ReportIssueDto } from './dto/report-issue.dto';
import { IssueQueriesService } from './issue-queries.service';
import { IssueReportService } from './issue-report.service';
import { IssueTransitionsService } from './issue-transitions.service';
import { receiptOf } from './report-view';

/** OpenAPI: path ids, as IdPipe accepts them. */
const ApiIssueId = () =>
  ApiParam({ name: 'id', description: '事件 The issue id', schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647, example: 42 } });

/** OpenAPI: which body class goes with which action, from ACTION_DTOS. */
const ACTION_BODY_TABLE = ACTION_DTO_CLASSES.map((dto) => {
  const actions = TRANSITION_ACTIONS.filter((a) => ACTION_DTOS[a] === dto);
  return `- \`${dto.name}\`: ${actions.map((a) => `\`${a}\``).join(', ')}`;
}).join('\n');

/** OpenAPI: the error responses every route that reads a JSON-or-multipart body may give, besides its own. */
const UPLOAD_413 = ApiErrorResponse(413, 'The body, a photo, the number of parts or the pixels a photo declares are over the limit', {
  PAYLOAD_TOO_LARGE: 'Photo 1 is larger than 10485760 bytes',
  TOO_MANY_FILES: 'At most 9 photos per request',
  IMAGE_TOO_LARGE: 'Photo 1 is 50000×50000 pixels; at most 12000 pixels a side and 50000000 in all',
});
const UPLOAD_503 = ApiErrorResponse(503, 'The S3 photo storage did not answer; nothing was written, and the request may be retried', {
  PHOTO_STORAGE_UNAVAILABLE: 'The photo storage did not answer; try again shortly',
});
const UPLOAD_415 = ApiErrorResponse(415, 'An unsupported content type, or a photo that is not really a JPEG, PNG or WebP image', {
  UNSUPPORTED_MEDIA_TYPE: 'Photo 1 is not a JPEG, PNG or WebP image',
});

@ApiTags('issues')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('issues')
export class IssuesController {
  constructor(
    private readonly reports: IssueReportService,
    private readonly transitions: IssueTransitionsService,
    private readonly queries: IssueQueriesService,
    private readonly uploads: UploadReader,
  ) {}

  /** 上报. A retry with the same Idempotency-Key returns the same issue (200) instead of a new one (201). */
  @Post()
  @ApiOperation({
    summary: '上报事件 Report an issue',
    description:
      'Grid workers report in their grids, dispatchers in their region (for calls, with `source`). ' +
      'The issue gets its grid from `gridId` or from `lat`/`lng`, and starts as `reported`. ' +
      'Send an `Idempotency-Key` to make retries safe: the same key with the same report returns the first issue (200, `Idempotent-Replayed: true`) instead of a new one.',
  })
  @ApiExtraModels(ReportIssueDto)
  @ApiJsonOrMultipartBody({
    json: { $ref: getSchemaPath(ReportIssueDto) },
    description: 'The report: a `ReportIssueDto`.',
    dataExample: JSON.stringify({
      description: '路边垃圾堆积，气味明显',
      categoryId: 12,
      gridId: 101,
      priority: 'normal',
      address: '幸福路12号',
    }),
    photosDescription: '现场照片 Photos of the scene, stored as `before` photos; some categories require at least one (422 PHOTO_REQUIRED)',
  })
  // Named in lower case so that it merges with the @Headers('idempotency-key') parameter instead of listing the header twice.
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      '`Idempotency-Key`: 8–128 printable ASCII characters (0x21–0x7E), unique per report of this user. ' +
      'A retry with the same key and the same report returns the first issue with 200; the same key with a different report is refused with 422 IDEMPOTENCY_KEY_REUSED.',
    schema: {
      type: 'string',
      minLength: 8,
      maxLength: 128,
      pattern: '^[\\x21-\\x7e]{8,128}$',
      example: '3f6c1a52-9d1e-4b7a-8f0e-2c5d7b9a4e11',
    },
  })
  @ApiHeader({
    name: 'prefer',
    required: false,
    description:
      '`Prefer: return=minimal` (RFC 7240): answer with `IssueReceipt` `{ id, number, status, version }` instead of the whole ' +
      '`IssueDetail`, and say so in `Preference-Applied: return=minimal`. For phones on slow networks: the detail is one GET away.',
    schema: { type: 'string', example: 'return=minimal' },
  })
  @ApiCreatedResponse({
    description:
      '已上报 Created: the new issue, as `IssueDetail` (GET /api/v1/issues/{id}), or as `IssueReceipt` with `Prefer: return=minimal`',
  })
  @ApiOkResponse({
    description:
      '重复提交 Replayed: an earlier report with the same Idempotency-Key and the same content; the body is that issue, nothing new was created',
    headers: {
      'Idempotent-Replayed': {
        description: 'Present, with the value `true`, when the response replays an earlier report',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiValidationFailed('description: description must be longer than or equal to 1 characters', {
    MALFORMED_BODY: 'The "data" field must hold JSON',
    IDEMPOTENCY_KEY_INVALID: 'Idempotency-Key must be 8–128 printable ASCII characters',
  })
  @ApiErrorResponse(403, "The caller's role may not report, or the grid is outside their scope", {
    FORBIDDEN_ROLE: 'A viewer cannot report issues',
    GRID_OUT_OF_SCOPE: 'You cannot report in grid 101: it is outside your scope',
  })
  @UPLOAD_413
  @UPLOAD_415
  @UPLOAD_503
  @ApiErrorResponse(422, 'The report is well-formed but cannot be accepted', {
    UNKNOWN_REFERENCE: 'Grid 101 does not exist',
    LOCATION_NOT_IN_ANY_GRID: 'The location lies outside every grid; choose the grid by hand',
    PHOTO_REQUIRED: 'Reports of 占道经营 need at least one photo',
    IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different report',
  })
  async report(
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('prefer') prefer?: string,
  ): Promise<IssueDetail | IssueReceipt> {
    const minimal = prefersMinimalReturn(prefer);
    const result = await this.uploads.withBody(req, ReportIssueDto, (body, photos) =>
      this.reports.report(actor, body, photos, idempotencyKey, { view: minimal ? 'receipt' : 'detail' }),
    );
    void reply.status(result.created ? 201 : 200);
    if (!result.created) void reply.header('Idempotent-Replayed', 'true');
    if (!minimal) return result.detail ?? this.queries.detail(actor, result.issueId);
    void reply.header('Preference-Applied', 'return=minimal');
    return result.receipt ?? receiptOf(await this.queries.detail(actor, result.issueId));
  }

  @Get()
  @ApiOperation({
    summary: '事件列表 List issues',
    description:
      'The issues the caller may see, newest report first, filtered by the query and paged. Answers `{ items: IssueSummary[], page, pageSize, total }`.',
  })
  @ApiOkResponse({ description: 'One page of issue summaries: `{ items, page, pageSize, total }`' })
  @ApiValidationFailed('pageSize: pageSize must not be greater than 100')
  @ApiErrorResponse(422, 'The region does not exist', { UNKNOWN_REFERENCE: 'Region 3 does not exist' })
  list(@CurrentActor() actor: Actor, @Query() query: ListIssuesQuery): Promise<Page<IssueSummary>> {
    return this.queries.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: '事件详情 Issue detail',
    description: 'The issue with its attachments, timeline, extension requests and the actions the caller may take now (`allowedActions`).',
  })
  @ApiIssueId()
  @ApiOkResponse({ description: 'The issue, as `IssueDetail`' })
  @ApiValidationFailed('"abc" is not a valid id')
  @ApiErrorResponse(404, 'No such issue, or the caller may not see it', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<IssueDetail> {
    return this.queries.detail(actor, id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: '事件时间线 Issue timeline',
    description: 'The audit events of the issue, oldest first, with their attachments.',
  })
  @ApiIssueId()
  @ApiOkResponse({ description: 'The events, as `IssueEventView[]`' })
  @ApiValidationFailed('"abc" is not a valid id')
  @ApiErrorResponse(404, 'No such issue, or the caller may not see it', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  events(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<IssueEventView[]> {
    return this.queries.events(actor, id);
  }

  /** Every workflow action; the body holds the action's fields and the `version` the caller saw. */
  @Post(':id/actions/:action')
  @ApiOperation({
    summary: '流转操作 Act on an issue',
    description:
      'Takes one workflow action (受理、派遣、签收、办结、核查、督办…) on the issue. The body depends on the action (see the request body), ' +
      'always with the issue `version` the caller saw. Which actions the caller may take now is in the issue detail, `allowedActions`.',
  })
  @ApiIssueId()
  @ApiParam({
    name: 'action',
    description: '操作 The action; it selects the body class (see the request body)',
    enum: TRANSITION_ACTIONS,
    enumName: 'IssueTransitionAction',
  })
  @ApiExtraModels(...ACTION_DTO_CLASSES)
  @ApiJsonOrMultipartBody({
    json: { oneOf: ACTION_DTO_CLASSES.map((dto) => ({ $ref: getSchemaPath(dto) })) },
    description: `The body class goes by the \`action\` in the path:\n\n${ACTION_BODY_TABLE}\n\nFields other than those of the action's class are refused with 400.`,
    dataExample: JSON.stringify({ version: 3, note: '垃圾已清运，路面已冲洗' }),
    photosDescription: `Photos, only for these actions: ${TRANSITION_ACTIONS.filter((a) => ACTION_PHOTO_KIND[a])
      .map((a) => `\`${a}\` (${ACTION_PHOTO_KIND[a]})`)
      .join(
        ', ',
      )}. \`resolve_on_site\` and some categories require an after-photo (422 PHOTO_REQUIRED); other actions refuse photos with 400`,
  })
  @ApiOkResponse({
    description:
      'Done: the issue as the caller now sees it (`IssueDetail`), or only `{ id, status, version, visible: false }` when the action took the issue out of their sight',
  })
  @ApiValidationFailed('version: version must be an integer number', {
    MALFORMED_BODY: 'The body must be a JSON object',
  })
  @ApiErrorResponse(403, "The caller's role may not take this action, or they lack the relation to the issue it needs", {
    FORBIDDEN_ROLE: 'A viewer cannot dispatch',
    FORBIDDEN_RELATION: 'You may not resolve this issue',
  })
  @ApiErrorResponse(404, 'No such issue, or the caller may not see it', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  @ApiErrorResponse(409, 'The issue changed since it was loaded, or its state does not allow the action', {
    ISSUE_VERSION_CONFLICT: 'The issue changed since you loaded it; reload and try again',
    ISSUE_ACTION_NOT_ALLOWED: 'Cannot resolve an issue that is reported',
    EXTENSION_ALREADY_PENDING: 'An extension request for this issue is already waiting for a decision',
    EXTENSION_NOT_PENDING: 'There is no extension request waiting for a decision',
    ALREADY_EVALUATED: 'You have already evaluated this issue',
    HOLD_ALREADY_PENDING: 'A hold request for this issue is already waiting for a decision',
    HOLD_NOT_PENDING: 'There is no hold request waiting for a decision',
    ASSIGNEE_UNCHANGED: 'User 23 already works this task',
  })
  @UPLOAD_413
  @UPLOAD_415
  @UPLOAD_503
  @ApiErrorResponse(422, 'The action is allowed but its input cannot be used', {
    MERGE_TARGET_INVALID: 'An issue cannot be merged into itself',
    UNKNOWN_REFERENCE: 'Department 5 does not exist',
    ASSIGNEE_NOT_IN_DEPARTMENT: "User 23 is not an active member of this issue's department",
    PHOTO_REQUIRED: 'Resolving on the spot needs an after-photo',
  })
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
    const outcome = await this.uploads.withBody(req, ACTION_DTOS[action], (body, photos) =>
      this.transitions.apply(actor, id, action, body, photos),
    );
    void reply.status(200);
    return this.queries.detail(actor, id).catch((err: unknown) => {
      // The action may take the issue out of the caller's sight (a lead returning it): say only what changed.
      if (err instanceof AppException && err.code === 'ISSUE_NOT_FOUND')
        return { id, status: outcome.toStatus, version: outcome.version, visible: false };
      throw err;
    });
  }
}
