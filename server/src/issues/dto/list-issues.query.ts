import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ISSUE_STATUSES, PAGE_SIZE_MAX, PRIORITIES, type IssueListQuery, type IssueStatus, type Priority } from '@gridline/shared';

const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value);

export class ListIssuesQuery implements IssueListQuery {
  /** One status or several, comma-separated. */
  @IsOptional() @Transform(toList) @IsIn(ISSUE_STATUSES, { each: true }) status?: IssueStatus[];
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) departmentId?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) categoryId?: number;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  /** Searches number, title, description and address. */
  @IsOptional() @IsString() @Length(1, 100) q?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() reportedByMe?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() assignedToMe?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(PAGE_SIZE_MAX) pageSize?: number;
}
