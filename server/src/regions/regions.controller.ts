import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { REGION_LEVELS, type RegionLevel, type RegionView } from '@gridline/shared';
import { ApiAuthRequired, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { RegionsService } from './regions.service';
import { IsId } from '../common/id';

class ListRegionsQuery {
  @ApiPropertyOptional({ description: '层级 Only regions of this level', enum: REGION_LEVELS, enumName: 'RegionLevel', example: 'grid' })
  @IsOptional()
  @IsIn(REGION_LEVELS)
  level?: RegionLevel;

  @ApiPropertyOptional({ description: '上级区域 Only the direct children of this region', type: 'integer', minimum: 1, example: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  parentId?: number;

  @ApiPropertyOptional({
    description: "含边界 Include each region's GeoJSON polygon: `true`; any other value counts as false",
    type: Boolean,
    default: false,
    example: true,
  })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  withPolygon?: boolean;
}

@ApiTags('reference data')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** The region tree is reference data: every signed-in user may read it. */
  @Get()
  @ApiOperation({
    summary: '区域树 List regions',
    description:
      'The region tree (city → district → street → community → grid), as a flat list, optionally filtered. Every signed-in user may read it.',
  })
  @ApiOkResponse({ description: 'The regions, as `RegionView[]` (with `polygon` only when `withPolygon=true`)' })
  @ApiValidationFailed('level: level must be one of the following values: city, district, street, community, grid')
  list(@Query() query: ListRegionsQuery): RegionView[] {
    return this.regions
      .all()
      .filter(
        (r) => (query.level === undefined || r.level === query.level) && (query.parentId === undefined || r.parentId === query.parentId),
      )
      .map((r) => this.regions.view(r, query.withPolygon === true));
  }
}
