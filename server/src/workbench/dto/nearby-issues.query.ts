import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { NEARBY_DEFAULTS, type NearbyIssuesQuery } from '@gridline/shared';
import { IsId } from '../../common/id';

/** `lat`+`lng` (a radius around the point) or `gridId` (the same grid, for reports without GPS). */
export class NearbyIssuesQueryDto implements NearbyIssuesQuery {
  @ApiPropertyOptional({ description: '纬度 Latitude (WGS 84)', minimum: -90, maximum: 90, example: 30.21 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional({ description: '经度 Longitude (WGS 84)', minimum: -180, maximum: 180, example: 120.11 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number;

  @ApiPropertyOptional({ description: '网格 Without coordinates: open issues in this grid', type: 'integer', minimum: 1, example: 95 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  gridId?: number;

  @ApiPropertyOptional({ description: '分类 Only issues of this category', type: 'integer', minimum: 1, example: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  categoryId?: number;

  @ApiPropertyOptional({
    description: '半径（米） Radius in metres',
    type: 'integer',
    minimum: 1,
    maximum: NEARBY_DEFAULTS.maxRadiusM,
    default: NEARBY_DEFAULTS.radiusM,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(NEARBY_DEFAULTS.maxRadiusM)
  radiusM?: number;

  @ApiPropertyOptional({
    description: '天数 Reported within this many days',
    type: 'integer',
    minimum: 1,
    maximum: NEARBY_DEFAULTS.maxDays,
    default: NEARBY_DEFAULTS.days,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(NEARBY_DEFAULTS.maxDays)
  days?: number;
}

export class LocateQueryDto {
  @ApiPropertyOptional({ description: '纬度 Latitude (WGS 84)', minimum: -90, maximum: 90, example: 30.21 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiPropertyOptional({ description: '经度 Longitude (WGS 84)', minimum: -180, maximum: 180, example: 120.11 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;
}
