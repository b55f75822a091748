import { Body, Controller, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { LoginResult, ResidentCodeInput, ResidentCodeResult, ResidentLoginInput } from '@gridline/shared';
import { Client, Public } from '../../auth/auth.decorators';
import type { ClientInfo } from '../../auth/login-throttle';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { LOGIN_CODE_PATTERN } from './login-codes';
import { ResidentAuthService } from './resident-auth.service';

class ResidentCodeDto implements ResidentCodeInput {
  @ApiProperty({
    description: '手机号 A mainland mobile number (11 digits, 13x–19x); +86, spaces and dashes are removed',
    example: '13800000001',
  })
  @IsString()
  @Length(1, 32)
  phone!: string;
}

class ResidentLoginDto extends ResidentCodeDto implements ResidentLoginInput {
  @ApiProperty({ description: '验证码 The six-digit one-time code', pattern: '^\\d{6}$', example: '042917' })
  @IsString()
  @Matches(LOGIN_CODE_PATTERN, { message: 'code must be six digits' })
  code!: string;
}

const RATE_LIMITED = ApiErrorResponse(429, 'Over a limit; `details.retryAfterSeconds` and the Retry-After header say when to try again', {
  RATE_LIMITED: 'A code was sent to this number less than a minute ago',
});

@ApiTags('residents')
@Controller('resident/auth')
export class ResidentAuthController {
  constructor(private readonly auth: ResidentAuthService) {}

  @Public()
  @Post('code')
  @ApiOperation({
    summary: '获取验证码 Send a sign-in code',
    description:
      'Sends a six-digit code to the phone by text message (valid 5 minutes). One code per phone per 60 s, a bounded number per address per hour. ' +
      'Answers 204; only where the server logs codes instead of sending them (development) it answers 200 with `{ devCode }`.',
  })
  @ApiNoContentResponse({ description: 'Sent' })
  @ApiOkResponse({ description: 'Development only: `{ devCode }`' })
  @ApiValidationFailed('phone: phone must be a string', {
    PHONE_INVALID: 'The phone number must be a mainland mobile number (11 digits, 13x–19x)',
  })
  @RATE_LIMITED
  @ApiErrorResponse(503, 'The text message could not be sent', {
    SMS_UNAVAILABLE: 'The text message could not be sent; try again in a moment',
  })
  async code(
    @Body() body: ResidentCodeDto,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResidentCodeResult | undefined> {
    const result = await this.auth.requestCode(body.phone, ip);
    void reply.status(result ? 200 : 204);
    return result ?? undefined;
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: '验证码登录 Sign in with the code',
    description: 'Exchanges the phone and its code for a bearer token. The first sign-in creates the resident. Five wrong codes burn it.',
  })
  @ApiOkResponse({ description: 'Signed in: `{ accessToken, expiresIn, user }` (role `resident`)' })
  @ApiValidationFailed('code: code must be six digits', {
    PHONE_INVALID: 'The phone number must be a mainland mobile number (11 digits, 13x–19x)',
  })
  @ApiErrorResponse(401, 'Wrong code (`details.triesLeft`), or none valid', {
    CODE_INVALID: 'Wrong code',
    CODE_EXPIRED: 'No valid code for this number: ask for a new one',
  })
  @RATE_LIMITED
  login(@Body() body: ResidentLoginDto, @Client() client: ClientInfo): Promise<LoginResult> {
    return this.auth.login(body.phone, body.code, client);
  }
}
