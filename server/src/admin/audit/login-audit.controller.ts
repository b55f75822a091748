import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { LoginAuditView, Page } from '@gridline/shared';
import { ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController } from '../core/admin-controller';
import { AuditTrails } from './audit-trails.service';
import { ListLoginAuditQuery } from './audit.query';

@AdminController('login-audit', 'audit')
export class LoginAuditController {
  constructor(private readonly trails: AuditTrails) {}

  @Get()
  @ApiOperation({
    summary: '登录日志 The login audit trail',
    description: 'Every login attempt, newest first: when, which username (existing or not), the outcome, source IP and user agent.',
  })
  @ApiOkResponse({ description: '`Page<LoginAuditView>`' })
  @ApiValidationFailed('outcome: outcome must be one of the following values: success, failure, locked, lockout')
  list(@Query() query: ListLoginAuditQuery): Promise<Page<LoginAuditView>> {
    return this.trails.loginAttempts(query);
  }
}
