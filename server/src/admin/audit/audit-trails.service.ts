import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntryView, LoginAuditView, Page } from '@gridline/shared';
import { ListTotals } from '../../common/list-totals';
import type { ListAuditQuery, ListLoginAuditQuery } from './audit.query';

interface AuditRow extends Omit<AuditEntryView, 'at'> {
  at: Date;
}

interface LoginRow extends Omit<LoginAuditView, 'at'> {
  at: Date;
}

const DEFAULT_PAGE_SIZE = 50;

/** The two append-only trails administrators read (admin changes, login attempts), newest first, a page at a time. */
@Injectable()
export class AuditTrails {
  constructor(
    private readonly db: DataSource,
    private readonly totals: ListTotals,
  ) {}

  async adminChanges(query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    const { page, pageSize, offset } = paging(query);
    const params = [query.entityType ?? null, query.entityId ?? null, query.actorId ?? null];
    const where = `($1::text IS NULL OR a.entity_type = $1) AND ($2::text IS NULL OR a.entity_id = $2) AND ($3::int IS NULL OR a.actor_id = $3)`;
    const [rows, totals] = await Promise.all([
      this.db.query(
        `SELECT a.id::text AS id, a.at, a.actor_id AS "actorId", u.display_name AS "actorName", a.entity_type AS "entityType",
                a.entity_id AS "entityId", a.action, a.before, a.after
           FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id
          WHERE ${where} ORDER BY a.id DESC LIMIT $4 OFFSET $5`,
        [...params, pageSize, offset],
      ) as Promise<AuditRow[]>,
      this.totals.count(`admin_audit a WHERE ${where}`, params),
    ]);
    return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), page, pageSize, ...totals };
  }

  async loginAttempts(query: ListLoginAuditQuery): Promise<Page<LoginAuditView>> {
    const { page, pageSize, offset } = paging(query);
    const params = [query.username ?? null, query.outcome ?? null];
    const where = `($1::text IS NULL OR lower(a.username) = lower($1)) AND ($2::text IS NULL OR a.outcome = $2)`;
    const [rows, totals] = await Promise.all([
      this.db.query(
        `SELECT a.id::text AS id, a.at, a.username, a.user_id AS "userId", a.outcome, a.ip, a.user_agent AS "userAgent"
           FROM login_audit a WHERE ${where} ORDER BY a.id DESC LIMIT $3 OFFSET $4`,
        [...params, pageSize, offset],
      ) as Promise<LoginRow[]>,
      this.totals.count(`login_audit a WHERE ${where}`, params),
    ]);
    return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), page, pageSize, ...totals };
  }
}

function paging(query: { page?: number; pageSize?: number }): { page: number; pageSize: number; offset: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, offset: (page - 1) * pageSize };
}
