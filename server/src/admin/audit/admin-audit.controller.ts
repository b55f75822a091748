import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AuditEntryView, Page } from '@gridline/shared';
import { ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController } from '../core/admin-controller';
import { AuditTrails } from './audit-trails.service';
import { ListAuditQuery } from './audit.query';

@AdminController('audit', 'audit')
export class AdminAuditController {
  constructor(private readonly trails: AuditTrails) {}

  @Get()
  @ApiOperation({
    summary: '操作日志 The admin audit trail',
    description: 'Every admin change, newest first: who, when, which entity, what action, the row before and after. Append-only.',
  })
  @ApiOkResponse({ description: '`Page<AuditEntryView>`' })
  @ApiValidationFailed('entityType: entityType must be one of the following values: region, department, …')
  list(@Query() query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    return this.trails.adminChanges(query);
  }
}
