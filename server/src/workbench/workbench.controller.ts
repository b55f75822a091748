import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { GridLocation, NearbyIssue, StaffMember } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { DepartmentsService } from '../departments/departments.service';
import { RegionsService } from '../regions/regions.service';
import { departmentInScope } from '../scope/area-scope';
import { LocateQueryDto, NearbyIssuesQueryDto } from './dto/nearby-issues.query';
import { NearbyIssuesService } from './nearby-issues.service';

/** Helpers of the work screens: duplicates nearby, the grid under the phone, the staff to assign. */
@ApiTags('workbench')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller()
export class WorkbenchController {
  constructor(
    private readonly nearby: NearbyIssuesService,
    private readonly regions: RegionsService,
    private readonly departments: DepartmentsService,
    private readonly db: DataSource,
  ) {}

  @Get('issues/nearby')
  @ApiOperation({
    summary: '附近事件 Open issues nearby',
    description:
      'Open issues in the caller’s scope within `radiusM` (default 100 m) of `lat`/`lng` and reported in the last `days` (default 7), nearest first; ' +
      'or, with `gridId` and no coordinates, those of that grid. Shown before a report so a duplicate can be avoided.',
  })
  @ApiOkResponse({ description: '`NearbyIssue[]`: issue summaries with `lat`, `lng` and `distanceM`' })
  @ApiValidationFailed('Give lat and lng, or gridId')
  findNearby(@CurrentActor() actor: Actor, @Query() query: NearbyIssuesQueryDto): Promise<NearbyIssue[]> {
    return this.nearby.find(actor, query);
  }

  /** Reference data, like the region tree: any signed-in user may ask. */
  @Get('regions/locate')
  @ApiOperation({
    summary: '定位网格 The grid at a point',
    description: 'The grid whose polygon holds the point, with its community and street.',
  })
  @ApiOkResponse({ description: '`GridLocation`' })
  @ApiValidationFailed('lat: lat must not be greater than 90')
  @ApiErrorResponse(422, 'The point lies in no grid', { LOCATION_NOT_IN_ANY_GRID: 'The location lies outside every grid' })
  locate(@Query() query: LocateQueryDto): GridLocation {
    const grid = this.regions.gridAt(query.lat, query.lng);
    if (!grid) throw new AppException('LOCATION_NOT_IN_ANY_GRID', 'The location lies outside every grid; choose the grid by hand');
    const community = grid.parentId === null ? undefined : this.regions.get(grid.parentId);
    const street = community?.parentId == null ? undefined : this.regions.get(community.parentId);
    return {
      grid: this.regions.view(grid),
      community: community ? this.regions.view(community) : null,
      street: street ? this.regions.view(street) : null,
    };
  }

  /** Department members a lead may assign; leads and staff see only their own department (404 otherwise). */
  @Get('departments/:id/staff')
  @Roles('dept_lead', 'dept_staff', 'dispatcher', 'admin')
  @ApiOperation({
    summary: '部门人员 Staff of a department',
    description: 'Active leads and staff of the department, for assigning a task.',
  })
  @ApiOkResponse({ description: '`StaffMember[]`' })
  @ApiErrorResponse(403, 'The caller’s role may not list staff', { FORBIDDEN_ROLE: 'This needs one of the roles: dept_lead, …' })
  @ApiErrorResponse(404, 'No such department, or not the caller’s', { NOT_FOUND: 'Department 5 not found' })
  async staff(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StaffMember[]> {
    if (!departmentInScope(actor, id) || !this.departments.list().some((d) => d.id === id))
      throw new AppException('NOT_FOUND', `Department ${id} not found`);
    const rows: { id: number; username: string; display_name: string; role: StaffMember['role']; away: boolean }[] = await this.db.query(
      `SELECT id, username, display_name, role, away FROM users
        WHERE department_id = $1 AND active AND role IN ('dept_lead', 'dept_staff') ORDER BY role, display_name, id`,
      [id],
    );
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, away: r.away }));
  }
}
