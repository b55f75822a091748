import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AdminUserView, Page } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController, ApiId, ApiNotFound } from '../core/admin-controller';
import { AdminUsersService } from './admin-users.service';
import { CreateUserDto, ListUsersQuery, ResetPasswordDto, UpdateUserDto } from './user.dto';

const SCOPE_422 = () =>
  ApiErrorResponse(422, 'The scope does not fit the role, points at nothing, or the backup is not allowed', {
    SCOPE_INVALID: 'A grid_worker needs at least one grid (gridIds)',
    UNKNOWN_REFERENCE: 'Not an active grid: 9999',
    BACKUP_INVALID: 'The backup must have the same role (dispatcher), not viewer',
  });

@AdminController('users', 'users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @ApiOperation({
    summary: '用户 Search users',
    description: 'Paginated; `q` matches username or display name. Passwords are never returned.',
  })
  @ApiOkResponse({ description: '`Page<AdminUserView>`' })
  @ApiValidationFailed('pageSize: pageSize must not be greater than 100')
  list(@Query() query: ListUsersQuery): Promise<Page<AdminUserView>> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiId('用户 User id')
  @ApiOperation({ summary: '用户详情 One user' })
  @ApiOkResponse({ description: '`AdminUserView`' })
  @ApiNotFound('User')
  detail(@Param('id', IdPipe) id: number): Promise<AdminUserView> {
    return this.users.detail(id);
  }

  @Post()
  @ApiOperation({
    summary: '新建用户 Create a user',
    description:
      'The role decides the one scope field to send: `gridIds` (grid_worker), `regionId` (dispatcher, viewer), `departmentId` (dept_lead, dept_staff), none (admin).',
  })
  @ApiCreatedResponse({ description: '`AdminUserView`' })
  @ApiValidationFailed('password: password must be longer than or equal to 8 characters')
  @ApiErrorResponse(409, 'The username is taken', { USERNAME_TAKEN: 'The username worker1 is taken' })
  @SCOPE_422()
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<AdminUserView> {
    return this.users.create(actor, body);
  }

  @Patch(':id')
  @ApiId('用户 User id')
  @ApiOperation({
    summary: '修改用户 Change role, scope, backup, away or active',
    description: 'A new role needs its scope field unless the old role used the same one; the fields of other roles are cleared.',
  })
  @ApiOkResponse({ description: '`AdminUserView`' })
  @ApiValidationFailed('away: away must be a boolean value')
  @ApiNotFound('User')
  @ApiErrorResponse(409, 'An admin cannot demote or deactivate themselves', {
    SELF_LOCKOUT: 'You cannot change your own role or deactivate yourself',
  })
  @SCOPE_422()
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateUserDto): Promise<AdminUserView> {
    return this.users.update(actor, id, body);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiId('用户 User id')
  @ApiOperation({
    summary: '重置密码 Set a new password',
    description: 'Stored as an argon2id hash; the audit records that it happened, not the password.',
  })
  @ApiOkResponse({ description: '`AdminUserView`' })
  @ApiValidationFailed('password: password must be longer than or equal to 8 characters')
  @ApiNotFound('User')
  resetPassword(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: ResetPasswordDto): Promise<AdminUserView> {
    return this.users.resetPassword(actor, id, body);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiId('用户 User id')
  @ApiOperation({ summary: '解锁 Lift a lockout after failed logins' })
  @ApiOkResponse({ description: '`AdminUserView`' })
  @ApiNotFound('User')
  unlock(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AdminUserView> {
    return this.users.unlock(actor, id);
  }
}
