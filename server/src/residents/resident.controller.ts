import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsLatitude, IsLongitude, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  RESIDENT_ROLES,
  RESIDENT_RATING_KEYS,
  RESIDENT_RATINGS,
  type ResidentCategoryView,
  type ResidentEvaluateInput,
  type ResidentIssueDetail,
  type ResidentIssueSummary,
  type ResidentJoinInput,
  type ResidentNearbyIssue,
  type ResidentRating,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { CategoriesService } from '../categories/categories.service';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { IssueTransitionsService } from '../issues/issue-transitions.service';
import { ResidentIssuesService } from './resident-issues.service';
import { ID_MAX, IsId } from '../common/id';

class EvaluateDto implements ResidentEvaluateInput {
  @ApiProperty({ description: 'The issue `version` the caller saw', type: 'integer', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(ID_MAX)
  version!: number;

  @ApiProperty({ description: '满意 / 基本满意 / 不满意 → score 5 / 4 / 1', enum: RESIDENT_RATING_KEYS })
  @IsIn(RESIDENT_RATING_KEYS)
  rating!: ResidentRating;

  @ApiPropertyOptional({ description: '评价 Comment, 1–2000 characters', minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

class PointDto implements ResidentJoinInput {
  @ApiProperty({ description: '纬度 Where the resident is (WGS 84)', minimum: -90, maximum: 90 })
  @Type(() => Number)
  @IsLatitude()
  lat!: number;

  @ApiProperty({ description: '经度 Where the resident is (WGS 84)', minimum: -180, maximum: 180 })
  @Type(() => Number)
  @IsLongitude()
  lng!: number;
}

class NearbyQuery extends PointDto {
  @ApiPropertyOptional({ description: '分类 Only issues of this 小类', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  categoryId?: number;
}

/**
 * The resident's side (群众, `/r`): the resident-friendly category list, their issues in plain
 * language, evaluation, and "me too". Reporting is `POST /api/v1/issues` (source `resident`);
 * answering a request for information is the `provide_info` action.
 */
@ApiTags('residents')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('resident')
export class ResidentController {
  constructor(
    private readonly categories: CategoriesService,
    private readonly issues: ResidentIssuesService,
    private readonly transitions: IssueTransitionsService,
  ) {}

  @Get('categories')
  @ApiOperation({
    summary: '群众可选分类 Resident categories',
    description: 'The 小类 offered to residents, with plain names and icon keys, grouped by 大类.',
  })
  @ApiOkResponse({ description: '`ResidentCategoryView[]`' })
  categoryList(): ResidentCategoryView[] {
    return this.categories
      .all()
      .filter((c) => c.parentId !== null && c.residentName !== null && this.categories.toView(c).active)
      .map((c) => ({
        id: c.id,
        name: c.residentName!,
        icon: c.residentIcon ?? 'other',
        group: this.categories.get(c.parentId!)?.name ?? '',
        photoRequired: c.photoRequiredOnReport,
      }));
  }

  @Get('issues')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '我的诉求 My reports',
    description: 'What the resident reported or joined, newest first, in plain language with the expected time.',
  })
  @ApiOkResponse({ description: '`ResidentIssueSummary[]`' })
  list(@CurrentActor() actor: Actor): Promise<ResidentIssueSummary[]> {
    return this.issues.list(actor);
  }

  @Get('issues/:id')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '诉求进度 Progress of one report',
    description: 'Plain timeline, photos before and after, the open question, the evaluation.',
  })
  @ApiOkResponse({ description: '`ResidentIssueDetail`' })
  @ApiErrorResponse(404, 'Not the caller’s issue', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  detail(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ResidentIssueDetail> {
    return this.issues.detail(actor, id);
  }

  @Post('issues/:id/evaluate')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '评价 Evaluate a closed report',
    description:
      '满意 / 基本满意 / 不满意 with a comment. 不满意 within 7 days of the close asks the dispatcher to reopen (a request, not a reopen).',
  })
  @ApiOkResponse({ description: 'The report, as `ResidentIssueDetail`' })
  @ApiValidationFailed('rating must be one of the following values: satisfied, basically_satisfied, dissatisfied')
  @ApiErrorResponse(404, 'Not the caller’s issue', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  @ApiErrorResponse(409, 'Not closed, already evaluated or changed', { ALREADY_EVALUATED: 'You have already evaluated this issue' })
  async evaluate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: EvaluateDto): Promise<ResidentIssueDetail> {
    await this.transitions.apply(
      actor,
      id,
      'evaluate',
      { version: body.version, score: RESIDENT_RATINGS[body.rating], comment: body.comment },
      [],
    );
    return this.issues.detail(actor, id);
  }

  @Get('nearby')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '附近的同类诉求 Open issues nearby',
    description: 'Open issues within 300 m, to join as "me too" instead of reporting again.',
  })
  @ApiOkResponse({ description: '`ResidentNearbyIssue[]`, nearest first' })
  @ApiValidationFailed('lat must be a latitude string or number')
  nearby(@CurrentActor() actor: Actor, @Query() q: NearbyQuery): Promise<ResidentNearbyIssue[]> {
    return this.issues.nearbyOpen(actor, q);
  }

  @Post('issues/:id/join')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '我也遇到 Me too',
    description: 'Joins an open issue within 300 m of where the resident is; it then shows in their list until it closes.',
  })
  @ApiOkResponse({ description: 'The joined issue, as `ResidentIssueDetail`' })
  @ApiErrorResponse(404, 'No such open issue', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  @ApiErrorResponse(409, 'Already following it', { ALREADY_JOINED: 'You already follow this issue' })
  @ApiErrorResponse(422, 'Too far from where the resident is', { NOT_NEARBY: 'Only an issue within 300 m of where you are can be joined' })
  join(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: PointDto): Promise<ResidentIssueDetail> {
    return this.issues.join(actor, id, body);
  }
}
