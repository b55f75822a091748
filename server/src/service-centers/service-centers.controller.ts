import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServiceCenterImportResult, ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { AdminController, ApiId } from '../admin/core/admin-controller';
import { AdminServiceCentersService } from './admin-service-centers.service';
import {
  AdminListServiceCentersQuery,
  CoverageQuery,
  CreateServiceCenterDto,
  ImportServiceCentersDto,
  ListServiceCentersQuery,
  UpdateServiceCenterDto,
} from './dto';
import { ServiceCentersService } from './service-centers.service';

const NOT_FOUND = () => ApiErrorResponse(404, 'No such service centre', { SERVICE_CENTER_NOT_FOUND: 'Service centre 7 does not exist' });

/** 党群服务中心 / 站 and the share of grids inside their 15-minute circles. */
@ApiTags('service centres')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('service-centers')
export class ServiceCentersController {
  constructor(private readonly centers: ServiceCentersService) {}

  @Get()
  @ApiOperation({
    summary: '服务中心 Active service centres and stations',
    description: 'Public facilities: any signed-in user. `?regionId=` a subtree, `?level=`.',
  })
  @ApiOkResponse({ description: '`ServiceCenterView[]`' })
  @ApiValidationFailed('level: level must be one of the following values: district, street, community, station')
  list(@Query() q: ListServiceCentersQuery): Promise<ServiceCenterView[]> {
    return this.centers.list(q);
  }

  @Get('coverage')
  @ApiOperation({
    summary: '覆盖率与空白点 Coverage of a region’s grids by the 15-minute circles',
    description:
      'Share of the open grids whose centroid lies within some active centre’s radius, and the uncovered grids (ADR 0034). A region in the caller’s scope.',
  })
  @ApiOkResponse({ description: '`ServiceCoverage`' })
  @ApiErrorResponse(404, 'Region not in the caller’s scope', { NOT_FOUND: 'Region 9 not found' })
  coverage(@CurrentActor() actor: Actor, @Query() q: CoverageQuery): Promise<ServiceCoverage> {
    return this.centers.coverage(actor, q.regionId);
  }
}

@AdminController('service-centers', 'service centres')
export class AdminServiceCentersController {
  constructor(
    private readonly centers: ServiceCentersService,
    private readonly admin: AdminServiceCentersService,
  ) {}

  @Get()
  @ApiOperation({ summary: '服务中心 All service centres (inactive with ?includeInactive=true)' })
  @ApiOkResponse({ description: '`ServiceCenterView[]`' })
  list(@Query() q: AdminListServiceCentersQuery): Promise<ServiceCenterView[]> {
    return this.centers.list(q);
  }

  @Post()
  @ApiOperation({ summary: '新建服务中心 Create a service centre' })
  @ApiCreatedResponse({ description: '`ServiceCenterView`' })
  @ApiValidationFailed('lat: lat must be a latitude string or number')
  @ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another service centre already has the code SC1' })
  @ApiErrorResponse(422, 'Unknown region', { UNKNOWN_REFERENCE: 'Region 9 does not exist' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateServiceCenterDto): Promise<ServiceCenterView> {
    return this.admin.create(actor, body);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: '导入服务中心 Import centres from GeoJSON points',
    description: 'All or nothing; `dryRun` reports what would change.',
  })
  @ApiOkResponse({ description: '`{ dryRun, created, updated, unchanged }` (codes)' })
  @ApiValidationFailed('geojson: geojson must be an object')
  @ApiErrorResponse(422, 'The GeoJSON has problems (all listed in details.problems)', {
    GEOJSON_INVALID: 'feature 3: geometry must be a Point',
  })
  import(@CurrentActor() actor: Actor, @Body() body: ImportServiceCentersDto): Promise<ServiceCenterImportResult> {
    return this.admin.import(actor, body.geojson, body.dryRun ?? false);
  }

  @Patch(':id')
  @ApiId('服务中心 Service centre id')
  @ApiOperation({ summary: '修改服务中心 Update a service centre' })
  @ApiOkResponse({ description: '`ServiceCenterView`' })
  @ApiValidationFailed('radiusM: radiusM must not be greater than 20000')
  @NOT_FOUND()
  @ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another service centre already has the code SC1' })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateServiceCenterDto): Promise<ServiceCenterView> {
    return this.admin.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiId('服务中心 Service centre id')
  @ApiOperation({ summary: '删除服务中心 Delete a service centre' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @NOT_FOUND()
  async remove(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    await this.admin.remove(actor, id);
  }
}
