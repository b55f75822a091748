import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ISSUE_STATUSES, PAGE_SIZE_MAX, PRIORITIES, type IssueListQuery, type IssueStatus, type Priority } from '@gridline/shared';
import { IsId } from '../../common/id';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value);

/** OpenAPI parameter keys ApiPropertyOptions does not declare (they reach the parameter as given): Swagger UI then sends `status=a,b`. */
const COMMA_SEPARATED = { style: 'form', explode: false } as const;

/** Keep each @ApiPropertyOptional in step with the class-validator rules beside it: the OpenAPI document is built from these. */
export class ListIssuesQuery implements IssueListQuery {
  /** One status or several, comma-separated. */
  @ApiPropertyOptional({
    description: '状态 One status or several, comma-separated (`status=reported,accepted`); repeating the parameter works too',
    enum: ISSUE_STATUSES,
    enumName: 'IssueStatus',
    isArray: true,
    ...COMMA_SEPARATED,
    example: ['reported', 'accepted'],
  })
  @IsOptional()
  @Transform(toList)
  @IsIn(ISSUE_STATUSES, { each: true })
  status?: IssueStatus[];

  @ApiPropertyOptional({
    description: '区域 Only issues within this region subtree (district, street, community or grid); an unknown region is refused with 422',
    type: 'integer',
    minimum: 1,
    example: 3,
  })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  regionId?: number;

  @ApiPropertyOptional({ description: '承办部门 Only issues dispatched to this department', type: 'integer', minimum: 1, example: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  departmentId?: number;

  @ApiPropertyOptional({ description: '分类 Only issues of this category', type: 'integer', minimum: 1, example: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  categoryId?: number;

  @ApiPropertyOptional({ description: '优先级 Only issues of this priority', enum: PRIORITIES, enumName: 'Priority', example: 'urgent' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** Searches number, title, description and address. */
  @ApiPropertyOptional({
    description: '关键词 Searches number, title, description and address; 1–100 characters',
    minLength: 1,
    maxLength: 100,
    example: '垃圾',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: 'Reported at or after this instant; strict ISO 8601', example: '2025-03-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Reported before this instant (exclusive); strict ISO 8601', example: '2025-04-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: '我上报的 Only issues the caller reported (`true` or `false`)', type: Boolean, example: true })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  reportedByMe?: boolean;

  @ApiPropertyOptional({
    description: '我的 Only issues the caller reported or joined as "me too" (`true`); what residents list',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ description: '我承办的 Only issues assigned to the caller (`true` or `false`)', type: Boolean, example: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  assignedToMe?: boolean;

  @ApiPropertyOptional({
    description: '超期 Only issues whose current stage clock is past due (`true`) or not (`false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description: '超时与预警 Only open issues past due now or with a running clock past its warning (黄牌) (`true`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  slaAlert?: boolean;

  @ApiPropertyOptional({
    description: '待审批延期 Only issues with an extension request waiting for a decision (`true` or `false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hasPendingExtension?: boolean;

  @ApiPropertyOptional({
    description: '被退回 Only issues a department returned and that wait for a new dispatch (`true` or `false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  returned?: boolean;

  @ApiPropertyOptional({
    description: '群众申请重办 Only closed issues with a resident’s reopen request waiting for a decision (`true` or `false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hasPendingReopenRequest?: boolean;

  @ApiPropertyOptional({
    description: '督办 Only issues with an open 督办 (`true`), or without one (`false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  supervised?: boolean;

  @ApiPropertyOptional({
    description: '待审批挂账 Only issues with a department’s hold request waiting for a decision (`true` or `false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hasPendingHold?: boolean;

  @ApiPropertyOptional({
    description: '上报件 Only issues passed up (escalated) to one of the caller’s own command centres (`true`), or not (`false`)',
    type: Boolean,
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  escalatedToMe?: boolean;

  @ApiPropertyOptional({ description: 'Page number, from 1', type: 'integer', minimum: 1, maximum: 100_000, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({
    description: `Items per page, 1–${PAGE_SIZE_MAX}`,
    type: 'integer',
    minimum: 1,
    maximum: PAGE_SIZE_MAX,
    default: 20,
    example: 20,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  pageSize?: number;
}
