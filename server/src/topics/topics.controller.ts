import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CosignResult, MyTopicState, ResidentCommunityView, TopicPage, TopicView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { AnswerTopicDto, AssignTopicDto, EvaluateTopicDto, ListTopicsQuery, OpenTopicDto, SetCommunityDto } from './dto/topic.dto';
import { ResidentCommunities } from './resident-communities.service';
import { TopicQueriesService } from './topic-queries.service';
import { TopicWritesService } from './topic-writes.service';

const NOT_FOUND = () => ApiErrorResponse(404, 'No such topic (or not the caller’s to act on)', { TOPIC_NOT_FOUND: 'Topic 7 not found' });
const STATE = () =>
  ApiErrorResponse(409, 'The topic’s state does not allow it', {
    TOPIC_ACTION_NOT_ALLOWED: 'A topic that is answered cannot be given "cosign"',
  });
const RESIDENT_OF = () =>
  ApiErrorResponse(403, 'Not a resident of the topic’s community', {
    NOT_COMMUNITY_RESIDENT: 'Only residents of the topic’s community take part in it',
    FORBIDDEN_ROLE: 'This needs one of the roles: resident',
  });

/**
 * 联名点题 / 双向约谈: residents open and co-sign topics of their community; at the threshold a topic
 * enters the review queue (会审); the dispatcher assigns it with a reply due date; the leader or
 * department answers; co-signers evaluate. `GET /topics/:id` is public (counts, never names).
 */
@ApiTags('topics')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('topics')
export class TopicsController {
  constructor(
    private readonly writes: TopicWritesService,
    private readonly queries: TopicQueriesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: '点题列表 Topics the caller may see',
    description:
      'Residents: their community’s topics (with `mine`). Dispatchers and viewers: their region; departments: topics assigned to them; leaders: topics assigned to them. Review queue: `?status=review`.',
  })
  @ApiOkResponse({ description: '`{ items: TopicSummary[], total }`' })
  @ApiValidationFailed('status: status must be one of the following values: open, review, assigned, answered')
  list(@CurrentActor() actor: Actor, @Query() query: ListTopicsQuery): Promise<TopicPage> {
    return this.queries.list(actor, query);
  }

  @Post()
  @Roles('resident')
  @ApiOperation({ summary: '发起点题 Open a topic in the resident’s community', description: 'The opener is its first co-signer.' })
  @ApiCreatedResponse({ description: '`TopicView`' })
  @ApiValidationFailed('title: title must not be blank')
  @RESIDENT_OF()
  @ApiErrorResponse(409, 'The resident has not set their community', {
    RESIDENT_COMMUNITY_REQUIRED: 'Say which community you live in first',
  })
  @ApiErrorResponse(422, 'Not a community', { COMMUNITY_INVALID: 'Region 3 is not an open community' })
  async open(@CurrentActor() actor: Actor, @Body() body: OpenTopicDto): Promise<TopicView> {
    return this.queries.view(await this.writes.open(actor, body));
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: '点题进度 Public progress of a topic', description: 'Counts only: never who co-signed or evaluated.' })
  @ApiOkResponse({ description: '`TopicView`' })
  @NOT_FOUND()
  view(@Param('id', IdPipe) id: number): Promise<TopicView> {
    return this.queries.view(id);
  }

  @Get(':id/mine')
  @Roles('resident')
  @ApiOperation({ summary: '我与此题 Whether the resident co-signed, may co-sign, their score' })
  @ApiOkResponse({ description: '`MyTopicState`' })
  @NOT_FOUND()
  mine(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<MyTopicState> {
    return this.queries.mine(actor, id);
  }

  @Post(':id/cosign')
  @Roles('resident')
  @ApiOperation({
    summary: '联名 Co-sign a topic',
    description:
      'Once per resident: 201 the first time, 200 (`created: false`, nothing written) after. Residents of the topic’s community only.',
  })
  @ApiCreatedResponse({ description: '`{ created, topic }`' })
  @NOT_FOUND()
  @RESIDENT_OF()
  @STATE()
  async cosign(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CosignResult> {
    const created = await this.writes.cosign(actor, id);
    void reply.status(created ? 201 : 200);
    return { created, topic: await this.queries.view(id) };
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('dispatcher', 'admin')
  @ApiOperation({
    summary: '会审交办 Assign a topic in review to a leader or a department, with a reply due date',
    description:
      'Exactly one of `assigneeUserId`/`departmentId` and one of `dueAt`/`workDays`. Starts the reply clock (黄牌 at 75 %, 红牌 at the due date).',
  })
  @ApiOkResponse({ description: '`TopicView`' })
  @ApiValidationFailed('Give exactly one of assigneeUserId and departmentId')
  @NOT_FOUND()
  @STATE()
  @ApiErrorResponse(422, 'Bad assignee or due date', {
    TOPIC_ASSIGNEE_INVALID: 'User 9 is not an active leader or staff member',
    TOPIC_DUE_INVALID: 'The reply due date must lie after now',
  })
  async assign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: AssignTopicDto): Promise<TopicView> {
    await this.writes.assign(actor, id, body);
    return this.queries.view(id);
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Roles('dispatcher', 'viewer', 'dept_lead', 'dept_staff', 'admin')
  @ApiOperation({
    summary: '答复 Publish the answer',
    description: 'By the leader or a lead / staff of the department it is assigned to. Stops the reply clock.',
  })
  @ApiOkResponse({ description: '`TopicView`' })
  @NOT_FOUND()
  @STATE()
  @ApiErrorResponse(403, 'Not the assignee', { FORBIDDEN_RELATION: 'Only the leader or department the topic is assigned to answers it' })
  async answer(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: AnswerTopicDto): Promise<TopicView> {
    await this.writes.answer(actor, id, body.answer);
    return this.queries.view(id);
  }

  @Post(':id/evaluate')
  @HttpCode(200)
  @Roles('resident')
  @ApiOperation({ summary: '评价答复 Evaluate the answer (co-signers, once each)' })
  @ApiOkResponse({ description: '`TopicView`' })
  @NOT_FOUND()
  @STATE()
  @ApiErrorResponse(403, 'Not a co-signer', { NOT_A_COSIGNER: 'Only the residents who co-signed the topic evaluate its answer' })
  async evaluate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: EvaluateTopicDto): Promise<TopicView> {
    await this.writes.evaluate(actor, id, body.score, body.comment);
    return this.queries.view(id);
  }
}

/** The resident's home community (居住社区), which decides the topics they take part in. */
@ApiTags('topics')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('resident/community')
@Roles('resident')
export class ResidentCommunityController {
  constructor(private readonly communities: ResidentCommunities) {}

  @Get()
  @ApiOperation({ summary: '我的社区 The community the resident lives in' })
  @ApiOkResponse({ description: '`{ communityId, communityName }` (null when not set)' })
  get(@CurrentActor() actor: Actor): Promise<ResidentCommunityView> {
    return this.communities.view(actor.id);
  }

  @Put()
  @ApiOperation({ summary: '设置社区 Set the community the resident lives in' })
  @ApiOkResponse({ description: '`{ communityId, communityName }`' })
  @ApiErrorResponse(422, 'Not a community', { COMMUNITY_INVALID: 'Region 3 is not an open community' })
  set(@CurrentActor() actor: Actor, @Body() body: SetCommunityDto): Promise<ResidentCommunityView> {
    return this.communities.set(actor.id, body.communityId);
  }
}
