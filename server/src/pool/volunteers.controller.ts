import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RESIDENT_ROLES, type VolunteerHoursView, type VolunteerRankingRow, type VolunteerView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { ListVolunteersQuery, RankingQuery, RegisterVolunteerDto, UpdateVolunteerDto } from './dto/pool.dto';
import { VolunteersService } from './volunteers.service';

const NOT_FOUND = ApiErrorResponse(404, 'No such volunteer in the caller’s communities', { VOLUNTEER_NOT_FOUND: 'Volunteer 3 not found' });
const STATUS_CONFLICT = ApiErrorResponse(409, 'The volunteer’s status does not allow it', {
  VOLUNTEER_STATUS_CONFLICT: 'Volunteer 3 is pending',
});

/** 志愿者: registration (报到), the community's approval and pause, hours (公益时) and the ranking. */
@ApiTags('volunteers')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('volunteers')
export class VolunteersController {
  constructor(private readonly volunteers: VolunteersService) {}

  @Post('register')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '志愿者报到 Register as a volunteer',
    description: 'A signed-in resident asks to serve one community; pending until approved.',
  })
  @ApiValidationFailed('skills must contain no more than 10 elements')
  @ApiErrorResponse(409, 'Already registered', { ALREADY_REGISTERED: 'This account has already registered as a volunteer' })
  @ApiErrorResponse(422, 'Not an open community', { COMMUNITY_INVALID: 'Region 3 is not an open community' })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterVolunteerDto): Promise<VolunteerView> {
    return this.volunteers.register(actor, body);
  }

  @Get()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: '志愿者列表 Volunteers of the caller’s communities', description: 'Pending first.' })
  @ApiOkResponse({ description: '`VolunteerView[]`' })
  list(@CurrentActor() actor: Actor, @Query() q: ListVolunteersQuery): Promise<VolunteerView[]> {
    return this.volunteers.list(actor, q);
  }

  @Get('me')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({ summary: '我的志愿者登记 The caller’s registration' })
  @ApiErrorResponse(404, 'Not registered', { VOLUNTEER_NOT_FOUND: 'This account has not registered as a volunteer' })
  me(@CurrentActor() actor: Actor): Promise<VolunteerView> {
    return this.volunteers.me(actor);
  }

  @Get('me/hours')
  @Roles(...RESIDENT_ROLES)
  @ApiOperation({
    summary: '我的公益时 The caller’s service hours',
    description: 'Total, rank in the community, ledger entries (newest first).',
  })
  @ApiErrorResponse(404, 'Not registered', { VOLUNTEER_NOT_FOUND: 'This account has not registered as a volunteer' })
  hours(@CurrentActor() actor: Actor): Promise<VolunteerHoursView> {
    return this.volunteers.hoursOf(actor);
  }

  @Get('ranking')
  @Roles('admin', 'dispatcher', 'viewer', 'volunteer')
  @ApiOperation({ summary: '公益时排行 Community ranking of hours', description: 'For the community’s staff and its own volunteers.' })
  @ApiErrorResponse(404, 'Not the caller’s community', { NOT_FOUND: 'Community 3 not found' })
  ranking(@CurrentActor() actor: Actor, @Query() q: RankingQuery): Promise<VolunteerRankingRow[]> {
    return this.volunteers.ranking(actor, q.communityId);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: '报到审核通过 Approve (or reinstate)', description: 'The account becomes a volunteer’s.' })
  @NOT_FOUND
  @STATUS_CONFLICT
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<VolunteerView> {
    return this.volunteers.approve(actor, id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: '暂停 Suspend (pause)', description: 'No claims until reinstated; tasks and hours stay.' })
  @NOT_FOUND
  @STATUS_CONFLICT
  suspend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<VolunteerView> {
    return this.volunteers.suspend(actor, id);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: '每周上限 Set the weekly cap of claims' })
  @ApiValidationFailed('weeklyCap must not be greater than 50')
  @NOT_FOUND
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateVolunteerDto): Promise<VolunteerView> {
    return this.volunteers.setWeeklyCap(actor, id, body.weeklyCap);
  }
}
