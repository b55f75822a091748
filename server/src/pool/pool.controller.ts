import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PoolClaimResult, PoolItemView, PoolWallSummary } from '@gridline/shared';
import { AttachmentStorage } from '../attachments/attachment-storage.service';
import { UploadReader } from '../attachments/upload-reader';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { ApiJsonOrMultipartBody } from '../common/openapi/json-or-multipart';
import { poolClaims } from '../metrics/metrics';
import {
  CompletePoolClaimDto,
  ConfirmPoolItemDto,
  CreatePoolItemDto,
  ListPoolQuery,
  PoolItemFromIssueDto,
  PoolSummaryQuery,
} from './dto/pool.dto';
import { PoolClaimsService } from './pool-claims.service';
import { PoolItemsService } from './pool-items.service';
import { PoolSummaryService } from './pool-summary.service';

const NOT_FOUND = ApiErrorResponse(404, 'No such item, or the caller may not see it', { POOL_ITEM_NOT_FOUND: 'Pool item 3 not found' });
const NOT_ALLOWED = ApiErrorResponse(409, 'The item’s state does not allow it', {
  POOL_ACTION_NOT_ALLOWED: 'Cannot publish a pool item that is open',
});
const FORBIDDEN = ApiErrorResponse(403, 'The caller’s role or relation to the item does not allow it', {
  FORBIDDEN_ROLE: 'A resident cannot publish',
  FORBIDDEN_RELATION: 'Not allowed to confirm pool item 3',
});
const SIZES = ['full', 'thumb'] as const;

/** 群众点单 · 社区派单 · 党员接单: the service pool. */
@ApiTags('pool')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('pool')
export class PoolController {
  constructor(
    private readonly items: PoolItemsService,
    private readonly claims: PoolClaimsService,
    private readonly summaries: PoolSummaryService,
    private readonly uploads: UploadReader,
    private readonly storage: AttachmentStorage,
  ) {}

  @Post()
  @Roles('resident', 'volunteer', 'dispatcher', 'admin')
  @ApiOperation({ summary: '点单 Raise a wish or a service need', description: 'A draft until the community publishes it.' })
  @ApiValidationFailed('quota must not be greater than 50')
  @ApiErrorResponse(404, 'A community outside the staff caller’s scope', { NOT_FOUND: 'Community 3 not found' })
  @ApiErrorResponse(422, 'Not an open community', { COMMUNITY_INVALID: 'Region 3 is not an open community' })
  create(@CurrentActor() actor: Actor, @Body() body: CreatePoolItemDto): Promise<PoolItemView> {
    return this.items.create(actor, body);
  }

  @Post('from-issue/:issueId')
  @Roles('dispatcher', 'admin')
  @ApiOperation({
    summary: '转为服务需求 Turn an issue into a service need',
    description: 'A draft in the issue’s community, linked to it (one per issue).',
  })
  @ApiErrorResponse(404, 'No such issue in scope', { ISSUE_NOT_FOUND: 'Issue 3 not found' })
  @ApiErrorResponse(409, 'Already turned', { POOL_ITEM_EXISTS: 'Issue 3 was already turned into pool item 5' })
  fromIssue(
    @CurrentActor() actor: Actor,
    @Param('issueId', IdPipe) issueId: number,
    @Body() body: PoolItemFromIssueDto,
  ): Promise<PoolItemView> {
    return this.items.fromIssue(actor, issueId, body);
  }

  @Get()
  @Roles('resident', 'volunteer', 'dispatcher', 'viewer', 'admin')
  @ApiOperation({ summary: '服务池 The pool in the caller’s scope', description: 'Open items first. `{ items, page, pageSize, total }`.' })
  list(@CurrentActor() actor: Actor, @Query() q: ListPoolQuery) {
    return this.items.list(actor, q);
  }

  @Get('summary')
  @Roles('viewer', 'dispatcher', 'admin')
  @ApiOperation({
    summary: '点单·派单·接单 The pool of a region subtree, as the wall shows it',
    description:
      'Items raised, published, claimed, done and confirmed today and in all, service hours credited, the latest claims (names masked). A region in the caller’s scope (default: their own).',
  })
  @ApiOkResponse({ description: '`PoolWallSummary`' })
  @ApiValidationFailed('regionId: regionId must be an id (an integer from 1 to 2147483647)')
  @ApiErrorResponse(404, 'Region not in the caller’s scope', { NOT_FOUND: 'Region 9 not found' })
  summary(@CurrentActor() actor: Actor, @Query() q: PoolSummaryQuery): Promise<PoolWallSummary> {
    return this.summaries.summary(actor, q.regionId);
  }

  @Get('photos/:photoId')
  @Roles('resident', 'volunteer', 'dispatcher', 'viewer', 'admin')
  @ApiQuery({ name: 'size', required: false, enum: SIZES })
  @ApiErrorResponse(404, 'No such photo in scope', { ATTACHMENT_NOT_FOUND: 'Photo 3 not found' })
  async photo(
    @CurrentActor() actor: Actor,
    @Param('photoId', IdPipe) photoId: number,
    @Query('size') size: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const wanted = size ?? 'full';
    if (!(SIZES as readonly string[]).includes(wanted))
      throw new AppException('VALIDATION_FAILED', 'size must be "full" or "thumb"', { field: 'size', allowed: SIZES });
    const row = await this.items.photo(actor, photoId);
    const content = await this.storage.content(row, wanted as (typeof SIZES)[number]);
    if (!content) throw new AppException('ATTACHMENT_NOT_FOUND', `Photo ${photoId} has no stored file`);
    await reply
      .header('Content-Type', content.mimeType)
      .header('Content-Length', content.size)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, max-age=86400, immutable')
      .send(content.stream);
  }

  @Get(':id')
  @Roles('resident', 'volunteer', 'dispatcher', 'viewer', 'admin')
  @ApiOperation({ summary: '详情 One item with the caller’s claim and allowedActions' })
  @NOT_FOUND
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PoolItemView> {
    return this.items.detail(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: '派单 Publish a draft to the community’s pool' })
  @NOT_FOUND
  @NOT_ALLOWED
  @FORBIDDEN
  publish(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PoolItemView> {
    return this.items.publish(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('dispatcher', 'admin')
  @ApiOperation({ summary: '撤销 Cancel (live claims end)' })
  @NOT_FOUND
  @NOT_ALLOWED
  @FORBIDDEN
  cancel(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PoolItemView> {
    return this.items.cancel(actor, id);
  }

  @Post(':id/claim')
  @Roles('volunteer')
  @ApiOperation({
    summary: '接单 Claim a slot',
    description:
      '201 `{ outcome: "won" }` with the claim, or `"entered"` in a popular item’s lottery window; 200 with the caller’s existing claim; 409 POOL_FULL at once when every slot is taken (exactly `quota` claims ever hold one).',
  })
  @NOT_FOUND
  @ApiErrorResponse(409, 'Full, or not open', {
    POOL_FULL: 'Every slot of pool item 3 is taken',
    POOL_ACTION_NOT_ALLOWED: 'Cannot claim a pool item that is done',
    WEEKLY_CAP_REACHED: 'At most 3 claims in 7 days',
  })
  @ApiErrorResponse(403, 'Not approved (pending or suspended)', { VOLUNTEER_NOT_APPROVED: 'Volunteer 3 is suspended' })
  async claim(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PoolClaimResult> {
    try {
      const { created, ...result } = await this.claims.claim(actor, id);
      if (created) poolClaims.inc({ outcome: result.outcome });
      void reply.status(created ? 201 : 200);
      return result;
    } catch (err) {
      if (err instanceof AppException && err.code === 'POOL_FULL') poolClaims.inc({ outcome: 'full' });
      throw err;
    }
  }

  @Post(':id/waitlist')
  @Roles('volunteer')
  @ApiOperation({ summary: '候补 Join the wait list of a full item', description: 'Promoted automatically when a slot frees.' })
  @NOT_FOUND
  @NOT_ALLOWED
  async waitlist(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PoolClaimResult> {
    const { created, ...result } = await this.claims.waitlist(actor, id);
    void reply.status(created ? 201 : 200);
    return result;
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('volunteer')
  @ApiOperation({ summary: '开始服务 Start (before the claim’s startBy, or it expires as a no-show)' })
  @NOT_FOUND
  @NOT_ALLOWED
  start(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PoolItemView> {
    return this.claims.start(actor, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('volunteer')
  @ApiOperation({ summary: '退单 Withdraw before done', description: 'The slot frees; the wait list’s next takes it.' })
  @NOT_FOUND
  @NOT_ALLOWED
  withdraw(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PoolItemView> {
    return this.claims.withdraw(actor, id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('volunteer')
  @ApiOperation({
    summary: '完成 Done, with a note and photos',
    description: 'JSON `{ note }`, or multipart with it in `data` and up to 9 `photos`.',
  })
  @ApiJsonOrMultipartBody({
    json: { type: 'object', properties: { note: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['note'] },
    description: 'The note; photos as `photos` parts (JPEG/PNG/WebP, stripped of metadata like every photo).',
    dataExample: JSON.stringify({ note: '已帮老人理发' }),
    photosDescription: 'Photos of the finished work',
  })
  @NOT_FOUND
  @NOT_ALLOWED
  async complete(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Req() req: FastifyRequest): Promise<PoolItemView> {
    return this.uploads.withBody(req, CompletePoolClaimDto, (body, photos) => this.claims.complete(actor, id, body.note, photos));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('resident', 'volunteer', 'dispatcher', 'admin')
  @ApiOperation({
    summary: '确认 Confirm with a score',
    description: 'By who raised it or the community, with a 1–5 score and an optional comment; credits each finisher’s hours.',
  })
  @ApiOkResponse({ description: 'The confirmed item' })
  @NOT_FOUND
  @NOT_ALLOWED
  @FORBIDDEN
  confirm(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: ConfirmPoolItemDto): Promise<PoolItemView> {
    return this.claims.confirm(actor, id, body.score, body.comment?.trim() || null);
  }
}
