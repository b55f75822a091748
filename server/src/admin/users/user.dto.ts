import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  PAGE_SIZE_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  STAFF_ROLES,
  type CreateUserInput,
  type ResetPasswordInput,
  type Role,
  type UpdateUserInput,
  type UserListQuery,
} from '@gridline/shared';
import { IsId } from '../../common/id';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,64}$/;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

const PASSWORD = {
  description: `密码 ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters; stored as an argon2id hash, never returned`,
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  format: 'password',
  example: 'change-me-2026',
};

/** The scope fields (which apply depends on the role: `ROLE_SCOPE` in @gridline/shared). */
class ScopeFields {
  @ApiPropertyOptional({ description: '部门 Department of a dept_lead or dept_staff', type: 'integer', nullable: true, example: 1 })
  @IsOptional()
  @IsId()
  departmentId?: number | null;

  @ApiPropertyOptional({ description: '辖区 Region root of a dispatcher or viewer', type: 'integer', nullable: true, example: 2 })
  @IsOptional()
  @IsId()
  regionId?: number | null;

  @ApiPropertyOptional({ description: '网格 Grids of a grid_worker (1–50)', type: 'integer', isArray: true, example: [95] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsId({ each: true })
  gridIds?: number[];
}

export class CreateUserDto extends ScopeFields implements CreateUserInput {
  @ApiProperty({ description: '用户名 2–64 letters, digits, "_", "-" or "."', example: 'gw_zhang' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 2–64 letters, digits, "_", "-" or "."' })
  username!: string;

  @ApiProperty({ description: '姓名 Display name, 1–64 characters', example: '张伟' })
  @IsString()
  @Length(1, 64)
  displayName!: string;

  @ApiProperty(PASSWORD)
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ description: '角色 Role (residents sign themselves up by phone)', enum: STAFF_ROLES, example: 'grid_worker' })
  @IsIn(STAFF_ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'AB 岗 Backup: an active user of the same role', type: 'integer', nullable: true })
  @IsOptional()
  @IsId()
  backupUserId?: number | null;
}

export class UpdateUserDto extends ScopeFields implements UpdateUserInput {
  @ApiPropertyOptional({ description: '姓名 Display name', example: '张伟' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  displayName?: string;

  @ApiPropertyOptional({ description: '角色 A new role needs its scope field in the same request', enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'AB 岗 Backup (same role); null clears it', type: 'integer', nullable: true })
  @IsOptional()
  @IsId()
  backupUserId?: number | null;

  @ApiPropertyOptional({ description: '离岗 Away: their backup receives their work meanwhile' })
  @IsOptional()
  @IsBoolean()
  away?: boolean;

  @ApiPropertyOptional({ description: '启用 false: the user can no longer sign in (their tokens stop working at once)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ResetPasswordDto implements ResetPasswordInput {
  @ApiProperty(PASSWORD)
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ListUsersQuery implements UserListQuery {
  @ApiPropertyOptional({ description: '搜索 Part of the username or display name', example: 'zhang' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  q?: string;

  @ApiPropertyOptional({ description: '角色', enum: ROLES, enumName: 'Role' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: '启用 Only active (true) or inactive (false) users', type: Boolean })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Page, from 1', type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  pageSize?: number;
}
