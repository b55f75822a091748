import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  PRIORITIES,
  SLA_STAGES,
  SLA_UNITS,
  type HolidayScheduleInput,
  type Priority,
  type SlaCalendarInput,
  type SlaPolicyInput,
  type SlaStage,
  type SlaUnit,
  type WeeklySchedule,
} from '@gridline/shared';
import { IsId } from '../../common/id';

/** 7 days, each a list of [start, end] integer minute pairs; order and overlap are checked by the service (422). */
const IsWeeklyShape = () =>
  ValidateBy({
    name: 'isWeeklyShape',
    validator: {
      validate: (v: unknown) =>
        Array.isArray(v) &&
        v.length === 7 &&
        v.every(
          (day) =>
            Array.isArray(day) &&
            day.length <= 12 &&
            day.every((iv) => Array.isArray(iv) && iv.length === 2 && iv.every((n) => Number.isInteger(n))),
        ),
      defaultMessage: () => 'weekly must be 7 days (Monday first), each a list of [startMinute, endMinute] integer pairs',
    },
  });

const WEEKLY_DOC = {
  description: '每周工作时段 Per ISO weekday, Monday first: [[startMinute, endMinute], …] after local midnight; in order, non-overlapping',
  example: [
    [
      [510, 720],
      [810, 1050],
    ],
    [
      [510, 720],
      [810, 1050],
    ],
    [
      [510, 720],
      [810, 1050],
    ],
    [
      [510, 720],
      [810, 1050],
    ],
    [
      [510, 720],
      [810, 1050],
    ],
    [],
    [],
  ],
};

export class CreateCalendarDto implements SlaCalendarInput {
  @ApiProperty({ description: 'Stable code', example: 'street-office' })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/)
  code!: string;

  @ApiProperty({ description: '名称 Name', example: '街道办工作日' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    description: "IANA time zone (default: the server's TIME_ZONE, Asia/Shanghai unless configured)",
    example: 'Asia/Shanghai',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  @ApiProperty(WEEKLY_DOC)
  @IsWeeklyShape()
  weekly!: WeeklySchedule;

  @ApiPropertyOptional({ description: 'Make this the default calendar', example: false })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateCalendarDto implements Partial<SlaCalendarInput> {
  @ApiPropertyOptional({ description: '名称 Name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  @ApiPropertyOptional(WEEKLY_DOC)
  @IsOptional()
  @IsWeeklyShape()
  weekly?: WeeklySchedule;

  @ApiPropertyOptional({ description: 'Make this the default calendar' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class HolidayRangeDto {
  @ApiProperty({ example: '国庆节' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: '2026-10-01' })
  @Matches(DATE)
  from!: string;

  @ApiProperty({ example: '2026-10-07' })
  @Matches(DATE)
  to!: string;
}

/** The State Council's yearly schedule, as in cn-holidays-2026.json. */
export class HolidayScheduleDto implements HolidayScheduleInput {
  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2100, example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiPropertyOptional({ example: '国务院办公厅关于2026年部分节假日安排的通知' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  source?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiProperty({ type: [HolidayRangeDto] })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => HolidayRangeDto)
  holidays!: HolidayRangeDto[];

  @ApiProperty({ type: [String], example: ['2026-10-10'] })
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(DATE, { each: true })
  makeUpWorkdays!: string[];
}

export class UpsertPolicyDto implements SlaPolicyInput {
  @ApiProperty({ description: '类别 Category (大类 or 小类); null for the global default', type: 'integer', nullable: true, example: 12 })
  @ValidateIf((_, v) => v !== null)
  @IsId()
  categoryId!: number | null;

  @ApiProperty({ description: 'Priority; null for any', enum: PRIORITIES, nullable: true, example: 'normal' })
  @ValidateIf((_, v) => v !== null)
  @IsIn(PRIORITIES)
  priority!: Priority | null;

  @ApiProperty({ enum: SLA_STAGES, example: 'handle' })
  @IsIn(SLA_STAGES)
  stage!: SlaStage;

  @ApiProperty({ enum: SLA_UNITS, example: 'work_days' })
  @IsIn(SLA_UNITS)
  unit!: SlaUnit;

  @ApiProperty({ description: 'Target in `unit`', type: 'integer', minimum: 1, maximum: 525600, example: 3 })
  @IsInt()
  @Min(1)
  @Max(525_600)
  target!: number;

  @ApiPropertyOptional({
    description: '黄牌 Warn at this fraction of the target (default 0.75)',
    minimum: 0.05,
    maximum: 0.99,
    example: 0.75,
  })
  @IsOptional()
  @IsNumber()
  @Min(0.05)
  @Max(0.99)
  warnFraction?: number;

  @ApiPropertyOptional({ description: 'Calendar for working-time units; null for the default', type: 'integer', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsId()
  calendarId?: number | null;
}
