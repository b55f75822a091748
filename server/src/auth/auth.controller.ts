import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { DemoLogins, LoginInput, LoginResult, UserView } from '@gridline/shared';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { toUserView, type Actor } from './actor';
import { CurrentActor, Public } from './auth.decorators';
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
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.auth.login(body.username, body.password);
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
