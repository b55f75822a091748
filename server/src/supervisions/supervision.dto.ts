import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  SUPERVISION_STATES,
  type CloseSupervisionBody,
  type RespondSupervisionBody,
  type SupervisionListQuery,
  type SupervisionState,
} from '@gridline/shared';
import { PageQuery } from '../admin/audit/audit.query';
import { IsId } from '../common/id';

export class ListSupervisionsQuery extends PageQuery implements SupervisionListQuery {
  @ApiPropertyOptional({ description: '状态 open (not closed yet, answered or not) or closed', enum: SUPERVISION_STATES })
  @IsOptional()
  @IsIn(SUPERVISION_STATES)
  state?: SupervisionState;

  @ApiPropertyOptional({
    description: '级别 1 = street command center, 2 = district (escalation)',
    type: 'integer',
    minimum: 1,
    maximum: 9,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(9)
  level?: number;

  @ApiPropertyOptional({
    description: '区域 Only 督办 of issues within this region subtree (in the caller’s scope)',
    type: 'integer',
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  regionId?: number;

  @ApiPropertyOptional({ description: '部门 Only 督办 of issues now with this department', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  departmentId?: number;
}

export class RespondSupervisionDto implements RespondSupervisionBody {
  @ApiProperty({
    description: '答复 The department’s answer: what it does about the 督办, 1–2000 characters',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class CloseSupervisionDto implements CloseSupervisionBody {
  @ApiPropertyOptional({ description: '说明 Why it is closed, 1–2000 characters', minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
