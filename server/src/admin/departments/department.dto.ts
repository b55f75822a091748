import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { CreateDutyInput, DepartmentInput, UpdateDepartmentInput } from '@gridline/shared';
import { IsId } from '../../common/id';

export const DEPARTMENT_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const CODE_MESSAGE = 'code must be 1–32 letters, digits, "_" or "-"';

export class CreateDepartmentDto implements DepartmentInput {
  @ApiProperty({ description: '编码 Unique code: 1–32 letters, digits, "_" or "-"', example: 'SW' })
  @IsString()
  @Matches(DEPARTMENT_CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ description: '名称 Name, 1–64 characters', example: '水务局' })
  @IsString()
  @Length(1, 64)
  name!: string;
}

export class UpdateDepartmentDto implements UpdateDepartmentInput {
  @ApiPropertyOptional({ description: '编码 Unique code', example: 'SW' })
  @IsOptional()
  @IsString()
  @Matches(DEPARTMENT_CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional({ description: '名称 Name, 1–64 characters', example: '水务局' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ description: '启用 false: no new dispatches to it (its history stays)', example: false })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreateDutyDto implements CreateDutyInput {
  @ApiProperty({ description: '部门 The department that handles it', type: 'integer', minimum: 1, example: 2 })
  @IsId()
  departmentId!: number;

  @ApiProperty({ description: '小类 The category (a 小类) it handles', type: 'integer', minimum: 1, example: 12 })
  @IsId()
  categoryId!: number;

  @ApiPropertyOptional({
    description: '区域 Only within this region subtree; null: everywhere',
    type: 'integer',
    nullable: true,
    example: 3,
  })
  @IsOptional()
  @IsId()
  regionId?: number | null;
}

export class ListDutiesQuery {
  @ApiPropertyOptional({ description: 'Only duties of this department', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  departmentId?: number;

  @ApiPropertyOptional({ description: 'Only duties for this category', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  categoryId?: number;
}
