import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { AuditEntryView, Page } from '@gridline/shared';
import { ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController } from '../core/admin-controller';
import { ListAuditQuery } from './audit.query';

interface AuditRow extends Omit<AuditEntryView, 'at'> {
  at: Date;
}

@AdminController('audit', 'audit')
export class AdminAuditController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @ApiOperation({
    summary: '操作日志 The admin audit trail',
    description: 'Every admin change, newest first: who, when, which entity, what action, the row before and after. Append-only.',
  })
  @ApiOkResponse({ description: '`Page<AuditEntryView>`' })
  @ApiValidationFailed('entityType: entityType must be one of the following values: region, department, …')
  async list(@Query() query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const params = [query.entityType ?? null, query.entityId ?? null, query.actorId ?? null];
    const where = `($1::text IS NULL OR a.entity_type = $1) AND ($2::text IS NULL OR a.entity_id = $2) AND ($3::int IS NULL OR a.actor_id = $3)`;
    const [rows, counts] = await Promise.all([
      this.db.query(
        `SELECT a.id::text AS id, a.at, a.actor_id AS "actorId", u.display_name AS "actorName", a.entity_type AS "entityType",
                a.entity_id AS "entityId", a.action, a.before, a.after
           FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id
          WHERE ${where} ORDER BY a.id DESC LIMIT $4 OFFSET $5`,
        [...params, pageSize, (page - 1) * pageSize],
      ) as Promise<AuditRow[]>,
      this.db.query(`SELECT count(*)::int AS total FROM admin_audit a WHERE ${where}`, params) as Promise<{ total: number }[]>,
    ]);
    return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), page, pageSize, total: counts[0]?.total ?? 0 };
  }
}
