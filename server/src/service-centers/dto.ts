import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import {
  SERVICE_CENTER_LEVELS,
  SERVICE_RADIUS_MAX_M,
  SERVICE_RADIUS_MIN_M,
  type ServiceCenterImportInput,
  type ServiceCenterInput,
  type ServiceCenterLevel,
  type UpdateServiceCenterInput,
} from '@gridline/shared';
import { ID_SCHEMA, IsId } from '../common/id';

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const NOT_BLANK = /\S/;

export class CreateServiceCenterDto implements ServiceCenterInput {
  @ApiProperty({ description: '编码 Code (unique)', example: 'SC-S01-C01' })
  @IsString()
  @Matches(CODE, { message: 'code must be 1–32 letters, digits, "_", "." or "-"' })
  code!: string;

  @ApiProperty({ description: '名称 Name', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SERVICE_CENTER_LEVELS })
  @IsIn(SERVICE_CENTER_LEVELS)
  level!: ServiceCenterLevel;

  @ApiProperty({ description: '所属区域 The region it belongs to', ...ID_SCHEMA })
  @IsId()
  regionId!: number;

  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsLatitude()
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsLongitude()
  lng!: number;

  @ApiPropertyOptional({ description: '开放时间 Opening hours', maxLength: 200, example: '周一至周六 08:30–17:30' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  openingHours?: string;

  @ApiPropertyOptional({ description: '服务项目 Services', type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  services?: string[];

  @ApiPropertyOptional({
    description: '15 分钟服务圈半径 Radius in metres',
    minimum: SERVICE_RADIUS_MIN_M,
    maximum: SERVICE_RADIUS_MAX_M,
    default: 1000,
  })
  @IsOptional()
  @IsInt()
  @Min(SERVICE_RADIUS_MIN_M)
  @Max(SERVICE_RADIUS_MAX_M)
  radiusM?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateServiceCenterDto implements UpdateServiceCenterInput {
  @ApiPropertyOptional({ example: 'SC-S01-C01' })
  @IsOptional()
  @IsString()
  @Matches(CODE, { message: 'code must be 1–32 letters, digits, "_", "." or "-"' })
  code?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ enum: SERVICE_CENTER_LEVELS })
  @IsOptional()
  @IsIn(SERVICE_CENTER_LEVELS)
  level?: ServiceCenterLevel;

  @ApiPropertyOptional(ID_SCHEMA)
  @IsOptional()
  @IsId()
  regionId?: number;

  @ApiPropertyOptional({ minimum: -90, maximum: 90 })
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180 })
  @IsOptional()
  @IsLongitude()
  lng?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  openingHours?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  services?: string[];

  @ApiPropertyOptional({ minimum: SERVICE_RADIUS_MIN_M, maximum: SERVICE_RADIUS_MAX_M })
  @IsOptional()
  @IsInt()
  @Min(SERVICE_RADIUS_MIN_M)
  @Max(SERVICE_RADIUS_MAX_M)
  radiusM?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ImportServiceCentersDto implements ServiceCenterImportInput {
  @ApiProperty({
    description:
      'A GeoJSON FeatureCollection of Point features ([lng, lat]) with properties `code`, `name`, `level`, `regionCode`, and optionally `openingHours`, `services`, `radiusM`. Same code: updated; new code: created.',
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

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListServiceCentersQuery {
  @ApiPropertyOptional({ description: 'Only centres of this region’s subtree', ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  regionId?: number;

  @ApiPropertyOptional({ enum: SERVICE_CENTER_LEVELS })
  @IsOptional()
  @IsIn(SERVICE_CENTER_LEVELS)
  level?: ServiceCenterLevel;
}

export class AdminListServiceCentersQuery extends ListServiceCentersQuery {
  @ApiPropertyOptional({ description: 'Inactive centres too', type: 'boolean' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeInactive?: boolean;
}

export class CoverageQuery {
  @ApiPropertyOptional({ description: 'The region whose grids are counted (default: the caller’s own)', ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  regionId?: number;
}
