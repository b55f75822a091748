import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { REGION_LEVELS, type RegionLevel, type RegionView } from '@gridline/shared';
import { RegionsService } from './regions.service';

class ListRegionsQuery {
  @IsOptional() @IsIn(REGION_LEVELS) level?: RegionLevel;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) parentId?: number;
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() withPolygon?: boolean;
}

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** The region tree is reference data: every signed-in user may read it. */
  @Get()
  list(@Query() query: ListRegionsQuery): RegionView[] {
    return this.regions
      .all()
      .filter((r) => (query.level === undefined || r.level === query.level) && (query.parentId === undefined || r.parentId === query.parentId))
      .map((r) => ({
        id: r.id,
        parentId: r.parentId,
        level: r.level,
        code: r.code,
        name: r.name,
        ...(query.withPolygon ? { polygon: r.polygon } : {}),
      }));
  }
}
