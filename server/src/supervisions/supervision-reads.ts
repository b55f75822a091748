import type { SupervisionFlag, SupervisionView } from '@gridline/shared';

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The open 督办 of these issues: highest level and how many, per issue (the flag on lists and the detail). */
export async function openSupervisionFlags(db: Queryable, issueIds: readonly number[]): Promise<Map<number, SupervisionFlag>> {
  if (!issueIds.length) return new Map();
  const rows = (await db.query(
    `SELECT issue_id, max(level)::int AS level, count(*)::int AS open FROM supervisions
      WHERE issue_id = ANY($1::int[]) AND closed_at IS NULL GROUP BY issue_id`,
    [issueIds],
  )) as { issue_id: number; level: number; open: number }[];
  return new Map(rows.map((r) => [r.issue_id, { level: r.level, open: r.open }]));
}

export interface SupervisionRow {
  id: number;
  issue_id: number;
  number: string;
  title: string;
  status: string;
  level: number;
  region_id: number | null;
  department_id: number | null;
  clock_id: string | null;
  by_user_id: number | null;
  reason: string;
  created_at: Date;
  response_note: string | null;
  responded_by: number | null;
  responded_at: Date | null;
  closed_at: Date | null;
  closed_by: number | null;
}

/** The columns of SupervisionRow over supervisions `s` joined to issues `i`. */
export const SUPERVISION_SELECT = `s.id, s.issue_id, i.number, i.title, i.status, s.level, s.region_id, i.department_id, s.clock_id, s.by_user_id, s.reason,
  s.created_at, s.response_note, s.responded_by, s.responded_at, s.closed_at, s.closed_by`;

/** Every 督办 of one issue, oldest first (the issue detail; the caller checked the issue is visible). */
export async function supervisionsOfIssue(db: Queryable, issueId: number): Promise<SupervisionView[]> {
  const rows = (await db.query(
    `SELECT ${SUPERVISION_SELECT} FROM supervisions s JOIN issues i ON i.id = s.issue_id WHERE s.issue_id = $1 ORDER BY s.id`,
    [issueId],
  )) as SupervisionRow[];
  return rows.map(toSupervisionView);
}

export function toSupervisionView(r: SupervisionRow): SupervisionView {
  return {
    id: r.id,
    issueId: r.issue_id,
    issueNumber: r.number,
    issueTitle: r.title,
    issueStatus: r.status,
    level: r.level,
    regionId: r.region_id,
    departmentId: r.department_id,
    automatic: r.clock_id !== null,
    byUserId: r.by_user_id,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    response:
      r.response_note !== null && r.responded_by !== null && r.responded_at !== null
        ? { note: r.response_note, byUserId: r.responded_by, at: r.responded_at.toISOString() }
        : null,
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    closedByUserId: r.closed_by,
  };
}
