import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ISSUE_SOURCES,
  PRIORITIES,
  type HotlineCallerInput,
  type IssueSource,
  type Priority,
  type ReportIssueInput,
} from '@gridline/shared';
import { IsId } from '../../common/id';

/** 来电人 of a hotline report. The phone is checked again (and normalised) where it is stored. */
export class HotlineCallerDto implements HotlineCallerInput {
  @ApiProperty({ description: '来电号码 A mainland mobile number; +86, spaces and dashes are removed', example: '138 1234 5678' })
  @IsString()
  @Matches(/^[\d\s+-]{11,20}$/, { message: 'caller.phone must be a mainland mobile number' })
  phone!: string;

  @ApiPropertyOptional({ description: '来电人姓名 1–50 characters', minLength: 1, maxLength: 50, example: '王女士' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;
}

/** Keep each @ApiProperty in step with the class-validator rules beside it: the OpenAPI document is built from these. */
export class ReportIssueDto implements ReportIssueInput {
  @ApiPropertyOptional({
    description: '标题 Title, 1–200 characters; when left out it is made from the category and the address (or the grid name)',
    minLength: 1,
    maxLength: 200,
    example: '幸福路12号门口垃圾堆积',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiProperty({
    description: '问题描述 What is wrong, 1–5000 characters',
    minLength: 1,
    maxLength: 5000,
    example: '路边垃圾堆积，气味明显',
  })
  @IsString()
  @Length(1, 5000)
  description!: string;

  @ApiProperty({
    description: '事项分类 A leaf category id (GET /api/v1/categories); some categories require a photo',
    type: 'integer',
    minimum: 1,
    example: 12,
  })
  @IsId()
  categoryId!: number;

  @ApiPropertyOptional({
    description: '优先级 Priority; `normal` when left out',
    enum: PRIORITIES,
    enumName: 'Priority',
    example: 'normal',
  })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** Either the grid, or a location inside one. */
  @ApiPropertyOptional({
    description:
      '网格 The grid the issue lies in. Required unless both `lat` and `lng` are given (the grid is then found from the location)',
    type: 'integer',
    minimum: 1,
    example: 101,
  })
  @ValidateIf((o: ReportIssueDto) => o.lat === undefined && o.lng === undefined)
  @IsId()
  gridId?: number;

  @ApiPropertyOptional({
    description: '纬度 Latitude (WGS 84). Give `lat` and `lng` together, or neither and then `gridId`',
    type: 'number',
    minimum: -90,
    maximum: 90,
    example: 31.2304,
  })
  @ValidateIf((o: ReportIssueDto) => o.gridId === undefined || o.lng !== undefined)
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({
    description: '经度 Longitude (WGS 84). Give `lat` and `lng` together, or neither and then `gridId`',
    type: 'number',
    minimum: -180,
    maximum: 180,
    example: 121.4737,
  })
  @ValidateIf((o: ReportIssueDto) => o.gridId === undefined || o.lat !== undefined)
  @IsLongitude()
  lng?: number;

  @ApiPropertyOptional({ description: '地址 Street address, 1–300 characters', minLength: 1, maxLength: 300, example: '幸福路12号' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional({
    description: 'When the device made the report (it may have been queued offline); strict ISO 8601',
    example: '2025-03-18T09:30:00+08:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  deviceTime?: string;

  /** Dispatchers taking a call say where it came from; grid workers' reports are always `grid_worker`. */
  @ApiPropertyOptional({
    description:
      '来源 Where the report came from. Grid workers may only send `grid_worker` (the default for them); dispatchers may not send `grid_worker` or `open311` (their default is `dispatcher`)',
    enum: ISSUE_SOURCES,
    enumName: 'IssueSource',
    example: 'hotline',
  })
  @IsOptional()
  @IsIn(ISSUE_SOURCES)
  source?: IssueSource;

  @ApiPropertyOptional({
    description:
      '来电人 The caller of a hotline report (only with `source: hotline`): stored once as the issue’s resident contact, shown masked to staff except the dispatcher handling the issue',
    type: HotlineCallerDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => HotlineCallerDto)
  caller?: HotlineCallerDto;
}
