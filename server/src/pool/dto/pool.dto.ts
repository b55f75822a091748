import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  POOL_ITEM_KINDS,
  POOL_ITEM_STATUSES,
  POOL_LIMITS,
  VOLUNTEER_STATUSES,
  type ConfirmPoolItemInput,
  type CreatePoolItemInput,
  type PoolItemKind,
  type PoolItemStatus,
  type RegisterVolunteerInput,
  type VolunteerStatus,
} from '@gridline/shared';
import { IsDecimal } from '../../common/decimal';
import { ID_SCHEMA, IsId } from '../../common/id';

export class RegisterVolunteerDto implements RegisterVolunteerInput {
  @ApiProperty({ description: '姓名 The name the community knows the volunteer by', minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  name!: string;

  @ApiProperty({ description: '服务社区 The one community served', ...ID_SCHEMA })
  @IsId()
  communityId!: number;

  @ApiProperty({ description: '技能 Skills, e.g. 理发, 维修, 陪护', type: [String], maxItems: POOL_LIMITS.skillsMax })
  @IsArray()
  @ArrayMaxSize(POOL_LIMITS.skillsMax)
  @IsString({ each: true })
  @Length(1, 20, { each: true })
  skills!: string[];

  @ApiProperty({ description: '在职党员 A party member (报到 of 在职党员)' })
  @IsBoolean()
  isPartyMember!: boolean;

  @ApiPropertyOptional({ description: '工作单位 Employer', minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  employer?: string;
}

export class ListVolunteersQuery {
  @ApiPropertyOptional({ ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  communityId?: number;

  @ApiPropertyOptional({ enum: VOLUNTEER_STATUSES })
  @IsOptional()
  @IsIn(VOLUNTEER_STATUSES)
  status?: VolunteerStatus;
}

export class RankingQuery {
  @ApiProperty({ ...ID_SCHEMA })
  @Type(() => Number)
  @IsId()
  communityId!: number;
}

export class UpdateVolunteerDto {
  @ApiProperty({ description: '每周上限 Claims per 7 days; null: no cap', nullable: true, minimum: 1, maximum: POOL_LIMITS.weeklyCapMax })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(POOL_LIMITS.weeklyCapMax)
  weeklyCap!: number | null;
}

export class CreatePoolItemDto implements CreatePoolItemInput {
  @ApiProperty({ description: '类型 wish 微心愿 | service 服务需求', enum: POOL_ITEM_KINDS })
  @IsIn(POOL_ITEM_KINDS)
  kind!: PoolItemKind;

  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiProperty({ ...ID_SCHEMA })
  @IsId()
  communityId!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLongitude()
  lng?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  address?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; unclaimed by then, the item expires', example: '2026-12-10T18:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  neededBy?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: POOL_LIMITS.quotaMax, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(POOL_LIMITS.quotaMax)
  quota?: number;

  @ApiPropertyOptional({ description: '公益时 per claimer', minimum: 0.5, maximum: POOL_LIMITS.hoursMax, default: 1 })
  @IsOptional()
  @IsDecimal(2)
  @Min(0.5)
  @Max(POOL_LIMITS.hoursMax)
  hours?: number;

  @ApiPropertyOptional({ description: 'Community only: claims in the first lotterySeconds are drawn' })
  @IsOptional()
  @IsBoolean()
  popular?: boolean;

  @ApiPropertyOptional({ minimum: POOL_LIMITS.lotterySecondsMin, maximum: POOL_LIMITS.lotterySecondsMax })
  @IsOptional()
  @IsInt()
  @Min(POOL_LIMITS.lotterySecondsMin)
  @Max(POOL_LIMITS.lotterySecondsMax)
  lotterySeconds?: number;

  @ApiPropertyOptional({ description: 'A claim not started this long after it was won expires (no-show)', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(POOL_LIMITS.startWithinMinutesMax)
  startWithinMinutes?: number;
}

/** 转为服务需求: everything optional, taken from the issue where left out. */
export class PoolItemFromIssueDto {
  @ApiPropertyOptional({ enum: POOL_ITEM_KINDS, default: 'service' })
  @IsOptional()
  @IsIn(POOL_ITEM_KINDS)
  kind?: PoolItemKind;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  neededBy?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: POOL_LIMITS.quotaMax })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(POOL_LIMITS.quotaMax)
  quota?: number;

  @ApiPropertyOptional({ minimum: 0.5, maximum: POOL_LIMITS.hoursMax })
  @IsOptional()
  @IsDecimal(2)
  @Min(0.5)
  @Max(POOL_LIMITS.hoursMax)
  hours?: number;
}

export class ListPoolQuery {
  @ApiPropertyOptional({ ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  communityId?: number;

  @ApiPropertyOptional({ enum: POOL_ITEM_STATUSES })
  @IsOptional()
  @IsIn(POOL_ITEM_STATUSES)
  status?: PoolItemStatus;

  @ApiPropertyOptional({ enum: POOL_ITEM_KINDS })
  @IsOptional()
  @IsIn(POOL_ITEM_KINDS)
  kind?: PoolItemKind;

  @ApiPropertyOptional({ description: 'Volunteers: items they hold a place on (and raised); others: items they raised' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export class CompletePoolClaimDto {
  @ApiProperty({ description: '完成说明 What was done', minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class ConfirmPoolItemDto implements ConfirmPoolItemInput {
  @ApiProperty({ description: '评分 1–5', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({
    description: '评价 What the confirmer says about the work',
    minLength: 1,
    maxLength: POOL_LIMITS.confirmCommentMax,
  })
  @IsOptional()
  @IsString()
  @Length(1, POOL_LIMITS.confirmCommentMax)
  comment?: string;
}

export class PoolSummaryQuery {
  @ApiPropertyOptional({ description: 'The region subtree counted (default: the caller’s own)', ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  regionId?: number;
}
