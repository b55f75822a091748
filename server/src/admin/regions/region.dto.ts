import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  REGION_LEVELS,
  type CreateRegionInput,
  type GeoJsonGeometry,
  type ImportGridsInput,
  type RegionLevel,
  type UpdateRegionInput,
} from '@gridline/shared';
import { REGION_CODE_PATTERN } from './geojson';
import { IsId } from '../../common/id';

const CODE = { description: '编码 Unique code: 1–32 letters, digits, "_", "-" or "."', example: 'D01S01C01G06' };
const GEOMETRY = {
  description: '边界 A GeoJSON Polygon or MultiPolygon (closed rings of [lng, lat]); null clears it',
  type: 'object',
  additionalProperties: true,
  nullable: true,
  example: {
    type: 'Polygon',
    coordinates: [
      [
        [120.1, 30.2],
        [120.11, 30.2],
        [120.11, 30.21],
        [120.1, 30.2],
      ],
    ],
  },
} as const;

export class CreateRegionDto implements CreateRegionInput {
  @ApiPropertyOptional({
    description: '上级 Parent region (null only for a city or a top-level district)',
    type: 'integer',
    nullable: true,
  })
  @IsOptional()
  @IsId()
  parentId?: number | null;

  @ApiProperty({ description: '层级 Level: one below the parent’s', enum: REGION_LEVELS, enumName: 'RegionLevel', example: 'grid' })
  @IsIn(REGION_LEVELS)
  level!: RegionLevel;

  @ApiProperty(CODE)
  @IsString()
  @Matches(REGION_CODE_PATTERN, { message: 'code must be 1–32 letters, digits, "_", "-" or "."' })
  code!: string;

  @ApiProperty({ description: '名称 Name, 1–64 characters', example: '幸福社区第6网格' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiPropertyOptional(GEOMETRY)
  @IsOptional()
  @IsObject()
  polygon?: GeoJsonGeometry | null;
}

export class UpdateRegionDto implements UpdateRegionInput {
  @ApiPropertyOptional(CODE)
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE_PATTERN, { message: 'code must be 1–32 letters, digits, "_", "-" or "."' })
  code?: string;

  @ApiPropertyOptional({ description: '名称 Name, 1–64 characters', example: '幸福社区第6网格' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional(GEOMETRY)
  @IsOptional()
  @IsObject()
  polygon?: GeoJsonGeometry | null;

  @ApiPropertyOptional({ description: '启用 false deactivates it (and, in effect, everything below it)', example: false })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ImportGridsDto implements ImportGridsInput {
  @ApiProperty({
    description:
      'A GeoJSON FeatureCollection of grids: each Feature has a Polygon or MultiPolygon geometry and properties `code`, `name` and `parentCode` (the code of its community). Existing grids (same code) are updated, new ones created.',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  geojson!: Record<string, unknown>;

  @ApiPropertyOptional({ description: '试运行 Validate and report what would change, write nothing', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
