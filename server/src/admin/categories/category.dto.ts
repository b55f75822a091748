import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { CreateCategoryInput, UpdateCategoryInput } from '@gridline/shared';
import { IsId } from '../../common/id';

export const CATEGORY_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;
const CODE_MESSAGE = 'code must be 1–32 letters, digits, "_", "-" or "."';

export class CreateCategoryDto implements CreateCategoryInput {
  @ApiPropertyOptional({
    description: '大类 The parent 大类 for a 小类; null or absent for a 大类',
    type: 'integer',
    nullable: true,
    example: 1,
  })
  @IsOptional()
  @IsId()
  parentId?: number | null;

  @ApiProperty({ description: '编码 Unique code', example: 'HJ09' })
  @IsString()
  @Matches(CATEGORY_CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ description: '名称 Name, 1–64 characters', example: '建筑垃圾乱倒' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiPropertyOptional({ description: '默认部门 Department used when no duty matches', type: 'integer', nullable: true, example: 1 })
  @IsOptional()
  @IsId()
  defaultDepartmentId?: number | null;

  @ApiPropertyOptional({ description: '上报需照片 A photo is required to report it', default: false })
  @IsOptional()
  @IsBoolean()
  photoRequiredOnReport?: boolean;

  @ApiPropertyOptional({ description: '办结需照片 A photo is required to resolve it', default: false })
  @IsOptional()
  @IsBoolean()
  photoRequiredOnResolve?: boolean;

  @ApiPropertyOptional({ description: '排序 Display order among its siblings', default: 0, minimum: 0, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;
}

export class UpdateCategoryDto implements UpdateCategoryInput {
  @ApiPropertyOptional({ description: '编码 Unique code', example: 'HJ09' })
  @IsOptional()
  @IsString()
  @Matches(CATEGORY_CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional({ description: '名称 Name, 1–64 characters', example: '建筑垃圾乱倒' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ description: '默认部门 null clears it', type: 'integer', nullable: true, example: 1 })
  @IsOptional()
  @IsId()
  defaultDepartmentId?: number | null;

  @ApiPropertyOptional({ description: '上报需照片' })
  @IsOptional()
  @IsBoolean()
  photoRequiredOnReport?: boolean;

  @ApiPropertyOptional({ description: '办结需照片' })
  @IsOptional()
  @IsBoolean()
  photoRequiredOnResolve?: boolean;

  @ApiPropertyOptional({ description: '排序', minimum: 0, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;

  @ApiPropertyOptional({ description: '启用 false: no new reports (for a 大类: none of its 小类 either)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
