import { IsIn, IsInt, IsISO8601, IsLatitude, IsLongitude, IsOptional, IsString, Length, Min, ValidateIf } from 'class-validator';
import { ISSUE_SOURCES, PRIORITIES, type IssueSource, type Priority, type ReportIssueInput } from '@gridline/shared';

export class ReportIssueDto implements ReportIssueInput {
  @IsOptional() @IsString() @Length(1, 200) title?: string;
  @IsString() @Length(1, 5000) description!: string;
  @IsInt() @Min(1) categoryId!: number;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  /** Either the grid, or a location inside one. */
  @ValidateIf((o: ReportIssueDto) => o.lat === undefined && o.lng === undefined)
  @IsInt()
  @Min(1)
  gridId?: number;
  @ValidateIf((o: ReportIssueDto) => o.gridId === undefined || o.lng !== undefined) @IsLatitude() lat?: number;
  @ValidateIf((o: ReportIssueDto) => o.gridId === undefined || o.lat !== undefined) @IsLongitude() lng?: number;
  @IsOptional() @IsString() @Length(1, 300) address?: string;
  @IsOptional() @IsISO8601({ strict: true }) deviceTime?: string;
  /** Dispatchers taking a call say where it came from; grid workers' reports are always `grid_worker`. */
  @IsOptional() @IsIn(ISSUE_SOURCES) source?: IssueSource;
}
