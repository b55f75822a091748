import type { ApiResponse } from './support/api-client';
import type { TestApp } from './support/test-app';

/** A digest of every table an admin change could write: equal before and after means nothing was written. */
export async function configDigest(t: TestApp): Promise<Record<string, string>> {
  const tables = ['regions', 'departments', 'department_duties', 'categories', 'users', 'admin_audit'];
  const parts = tables.map((name) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM ${name} x) AS ${name}`);
  const { rows } = await t.sql.query(`SELECT ${parts.join(', ')}`);
  return rows[0];
}

export async function lastAuditId(t: TestApp): Promise<number> {
  const { rows } = await t.sql.query(`SELECT coalesce(max(id), 0)::int AS id FROM admin_audit`);
  return rows[0].id;
}

export interface AuditRow {
  actor_id: number;
  entity_type: string;
  entity_id: string;
  action: string;
  before: any;
  after: any;
}

/** The audit rows written after `sinceId`, oldest first. */
export async function auditSince(t: TestApp, sinceId: number): Promise<AuditRow[]> {
  const { rows } = await t.sql.query(
    `SELECT actor_id, entity_type, entity_id, action, before, after FROM admin_audit WHERE id > $1 ORDER BY id`,
    [sinceId],
  );
  return rows;
}

/** Runs a change and checks it left exactly one audit row of this entity and action; returns the response and the row. */
export async function withOneAudit(
  t: TestApp,
  expected: { entityType: string; action: string },
  change: () => Promise<ApiResponse>,
): Promise<{ res: ApiResponse; row: AuditRow }> {
  const since = await lastAuditId(t);
  const res = await change();
  if (res.status >= 300) throw new Error(`change failed: ${res.status} ${JSON.stringify(res.body)}`);
  const rows = await auditSince(t, since);
  expect(rows.map((r) => ({ entityType: r.entity_type, action: r.action }))).toEqual([expected]);
  return { res, row: rows[0]! };
}

/** A square grid polygon [lng, lat] around a corner, `size` degrees wide. */
export function square(lng: number, lat: number, size = 0.001) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}
