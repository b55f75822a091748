import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import {
  PASSWORD_MAX_LENGTH,
  type ChangePasswordInput,
  type DemoLogins,
  type LoginInput,
  type LoginResult,
  type UserView,
} from '@gridline/shared';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { toUserView, type Actor } from './actor';
import { Client, CurrentActor, CurrentSession, Public } from './auth.decorators';
import type { ClientInfo } from './login-throttle';
import { AuthService } from './auth.service';

class LoginDto implements LoginInput {
  @ApiProperty({ description: '用户名 Username, 1–64 characters', minLength: 1, maxLength: 64, example: 'dispatcher' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ description: '密码 Password, 1–256 characters', minLength: 1, maxLength: 256, format: 'password', example: 'demo1234' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

class ChangePasswordDto implements ChangePasswordInput {
  @ApiProperty({ description: '当前密码 The current password', minLength: 1, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({
    description: '新密码 At least 10 characters, not containing the username (a demo password is refused in production)',
    minLength: 1,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
  })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Get('auth/demo-logins')
  @ApiOperation({
    summary: '演示账号 Demo logins',
    description:
      'The one-click logins the login page may offer: the demo users and their shared password when the server runs with demo data, else an empty list.',
  })
  @ApiOkResponse({ description: '`{ password, accounts: [{ username, role }] }`' })
  demoLogins(): Promise<DemoLogins> {
    return this.auth.demoLogins();
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary: '登录 Log in',
    description: 'Exchanges a username and password for a bearer token (`accessToken`, valid `expiresIn` seconds) and the user view.',
  })
  @ApiOkResponse({ description: 'Signed in: `LoginResult`, `{ accessToken, expiresIn, user }`' })
  @ApiValidationFailed('username: username must be longer than or equal to 1 characters', {
    MALFORMED_BODY: 'The body must be a JSON object',
  })
  @ApiErrorResponse(401, 'Wrong username or password, or the account is inactive', { INVALID_CREDENTIALS: 'Wrong username or password' })
  @ApiErrorResponse(423, 'Too many failed logins; `details.lockedUntil` says until when', {
    ACCOUNT_LOCKED: 'Too many failed logins; the account is locked for a while',
  })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, client);
  }

  @ApiBearerAuth()
  @Post('auth/password')
  @HttpCode(200)
  @ApiOperation({
    summary: '修改密码 Change my password',
    description: 'Needs the current password. Ends every session of the user (other devices sign in again) and returns a new token.',
  })
  @ApiOkResponse({ description: 'A new session: `LoginResult`' })
  @ApiAuthRequired()
  @ApiValidationFailed('newPassword: newPassword must be a string')
  @ApiErrorResponse(401, 'The current password is wrong', { INVALID_CREDENTIALS: 'The current password is wrong' })
  @ApiErrorResponse(422, 'The new password breaks the policy', { PASSWORD_TOO_WEAK: 'The password must have at least 10 characters' })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto, @Client() client: ClientInfo): Promise<LoginResult> {
    return this.auth.changePassword(actor, body.currentPassword, body.newPassword, client);
  }

  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: '退出 Log out', description: 'Ends the session of this token; the token stops working at once.' })
  @ApiAuthRequired()
  async logout(@CurrentSession() sessionId: string): Promise<void> {
    await this.auth.endSession(sessionId);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({
    summary: '当前用户 Who am I',
    description: 'The signed-in user, with their effective scope (including that of away colleagues they back up, AB 岗).',
  })
  @ApiOkResponse({ description: 'The caller, as `UserView`' })
  @ApiAuthRequired()
  me(@CurrentActor() actor: Actor): UserView {
    return toUserView(actor);
  }
}
