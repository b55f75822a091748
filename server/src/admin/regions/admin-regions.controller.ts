import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AdminRegionDetail, AdminRegionView, ImportGridsResult } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController, ApiId, ApiNotFound } from '../core/admin-controller';
import { AdminRegionsService } from './admin-regions.service';
import { GridImportService } from './grid-import.service';
import { CreateRegionDto, ImportGridsDto, UpdateRegionDto } from './region.dto';

export const GRID_IMPORT_PATH = '/api/v1/admin/regions/import';

const ApiRegion422 = () =>
  ApiErrorResponse(422, 'The parent, level or polygon does not fit', {
    HIERARCHY_INVALID: 'Under a community only a grid may be created, not a street',
    UNKNOWN_REFERENCE: 'Region 9999 does not exist',
    GEOJSON_INVALID: 'polygon: each ring must be closed (first position = last position)',
  });

@AdminController('regions', 'regions')
export class AdminRegionsController {
  constructor(
    private readonly regions: AdminRegionsService,
    private readonly grids: GridImportService,
  ) {}

  @Get()
  @ApiOperation({ summary: '区域树 All regions', description: 'Every region, active or not, ordered by path (parents before children).' })
  @ApiOkResponse({ description: '`AdminRegionView[]`' })
  list(): Promise<AdminRegionView[]> {
    return this.regions.list();
  }

  @Get(':id')
  @ApiId('区域 Region id')
  @ApiOperation({
    summary: '区域详情 One region',
    description: 'With its polygon and what still uses it (children, issues, users, duties).',
  })
  @ApiOkResponse({ description: '`AdminRegionDetail`' })
  @ApiNotFound('Region')
  detail(@Param('id', IdPipe) id: number): Promise<AdminRegionDetail> {
    return this.regions.detail(id);
  }

  @Post()
  @ApiOperation({ summary: '新建区域 Create a region', description: 'One level below its parent; the `path` is derived.' })
  @ApiCreatedResponse({ description: '`AdminRegionView`' })
  @ApiValidationFailed('code: code must be 1–32 letters, digits, "_", "-" or "."')
  @ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another region already has the code D01S01' })
  @ApiRegion422()
  create(@CurrentActor() actor: Actor, @Body() body: CreateRegionDto): Promise<AdminRegionView> {
    return this.regions.create(actor, body);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: '导入网格 Import grids from GeoJSON',
    description:
      'All or nothing: every feature is validated (Polygon/MultiPolygon with closed, non-crossing rings; unique `code`; `parentCode` a community; inside it) before one transaction creates new grids and updates changed ones. `dryRun: true` reports the same result and writes nothing. Bodies up to 8 MB.',
  })
  @ApiOkResponse({ description: '`ImportGridsResult`: created, updated (with the changed fields) and unchanged codes' })
  @ApiValidationFailed('geojson: geojson must be an object')
  @ApiErrorResponse(422, 'Some features are invalid; `details.problems` lists each (feature index, code, problem, message)', {
    GEOJSON_INVALID: 'feature 3 (D01S01C01G06): each ring must be closed (first position = last position)',
  })
  import(@CurrentActor() actor: Actor, @Body() body: ImportGridsDto): Promise<ImportGridsResult> {
    return this.grids.import(actor, body.geojson, body.dryRun ?? false);
  }

  @Patch(':id')
  @ApiId('区域 Region id')
  @ApiOperation({ summary: '修改区域 Rename, recode, redraw or (de)activate a region', description: 'Regions are not moved.' })
  @ApiOkResponse({ description: '`AdminRegionView`' })
  @ApiValidationFailed('name: name must be longer than or equal to 1 characters')
  @ApiNotFound('Region')
  @ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another region already has the code D01S01' })
  @ApiRegion422()
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateRegionDto): Promise<AdminRegionView> {
    return this.regions.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiId('区域 Region id')
  @ApiOperation({
    summary: '删除区域 Delete an unused region',
    description: 'Refused (409) while any child, issue, user or duty refers to it.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFound('Region')
  @ApiErrorResponse(409, 'Still in use; deactivate it instead', {
    REGION_IN_USE: 'Region D01S01C01G01 is still in use (12 issues); deactivate it instead',
  })
  async remove(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    await this.regions.remove(actor, id);
  }
}
