import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ME_TOO_RADIUS_M,
  ratingOfScore,
  RESIDENT_STEP_OF_EVENT,
  RESIDENT_STEP_OF_STATUS,
  RESIDENT_STEPS_WITH_NOTE,
  TERMINAL_STATUSES,
  type IssueAction,
  type IssueStatus,
  type ResidentIssueDetail,
  type ResidentIssueSummary,
  type ResidentNearbyIssue,
  type ResidentTimelineEntry,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { attachmentUrl, IssueQueriesService } from '../issues/issue-queries.service';
import { RegionsService } from '../regions/regions.service';
import { ScopeService } from '../scope/scope.service';
import { distanceM } from '../workbench/distance';
import { NearbyIssuesService } from '../workbench/nearby-issues.service';

interface SummaryRow {
  id: number;
  number: string;
  category_id: number;
  category_name: string;
  status: IssueStatus;
  reported_at: Date;
  address: string | null;
  version: number;
  me_too: number;
  joined: boolean;
  department_name: string | null;
  expected_at: Date | null;
  info_open: boolean;
  description: string;
  lat: number | null;
  lng: number | null;
}

const SUMMARY_SQL = (where: string, me: string) => `
  SELECT i.id, i.number, i.category_id, COALESCE(c.resident_name, c.name) AS category_name, i.status, i.reported_at, i.address,
         i.version, cardinality(i.follower_ids) AS me_too, i.reporter_id IS DISTINCT FROM ${me} AS joined, d.name AS department_name,
         (SELECT s.due_at FROM sla_clocks s WHERE s.issue_id = i.id AND s.stage = 'overall' AND s.stopped_at IS NULL) AS expected_at,
         EXISTS (SELECT 1 FROM info_requests r WHERE r.issue_id = i.id AND r.status = 'open') AS info_open,
         i.description, i.lat, i.lng
    FROM issues i JOIN categories c ON c.id = i.category_id LEFT JOIN departments d ON d.id = i.department_id
   WHERE ${where}`;

const LIST_MAX = 100;

/**
 * What residents read of their issues: the ones they reported or joined, in plain language —
 * where it stands (已受理 / 已派遣至 X / 处理中 / 已办结), when it should be done (the overall SLA
 * clock), who handles it — and no staff-internal notes, names or contacts.
 */
@Injectable()
export class ResidentIssuesService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly queries: IssueQueriesService,
    private readonly nearby: NearbyIssuesService,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
  ) {}

  async list(actor: Actor): Promise<ResidentIssueSummary[]> {
    const params: unknown[] = [actor.id];
    const where = this.scope.visibilitySql(actor, params);
    const rows: SummaryRow[] = await this.db.query(
      `${SUMMARY_SQL(where, '$1')} ORDER BY i.reported_at DESC, i.id DESC LIMIT ${LIST_MAX}`,
      params,
    );
    return rows.map(toSummary);
  }

  async detail(actor: Actor, issueId: number): Promise<ResidentIssueDetail> {
    const issue = await this.queries.visibleIssue(actor, issueId);
    const [rows, events, photos, info, evaluation, reopen]: [
      SummaryRow[],
      { type: string; at: Date; note: string | null; department_name: string | null }[],
      { id: number; kind: string }[],
      { id: number; question: string; created_at: Date; lapses_at: Date }[],
      { score: number; comment: string | null; created_at: Date }[],
      { id: number; status: 'pending' | 'reopened' | 'declined'; new_issue_id: number | null }[],
    ] = await Promise.all([
      this.db.query(SUMMARY_SQL('i.id = $2', '$1'), [actor.id, issueId]),
      this.db.query(
        `SELECT e.type, e.at, e.note, d.name AS department_name
           FROM issue_events e LEFT JOIN departments d ON e.type = 'dispatch' AND d.id = (e.data->>'departmentId')::int
          WHERE e.issue_id = $1 AND e.type = ANY($2) ORDER BY e.id`,
        [issueId, Object.keys(RESIDENT_STEP_OF_EVENT).filter((a) => RESIDENT_STEP_OF_EVENT[a as IssueAction] !== null)],
      ),
      this.db.query(`SELECT id, kind FROM attachments WHERE issue_id = $1 AND kind IN ('before', 'after') ORDER BY id`, [issueId]),
      this.db.query(`SELECT id, question, created_at, lapses_at FROM info_requests WHERE issue_id = $1 AND status = 'open'`, [issueId]),
      this.db.query('SELECT score, comment, created_at FROM evaluations WHERE issue_id = $1 AND by_user_id = $2', [issueId, actor.id]),
      this.db.query(
        'SELECT id, status, new_issue_id FROM reopen_requests WHERE issue_id = $1 AND requested_by = $2 ORDER BY id DESC LIMIT 1',
        [issueId, actor.id],
      ),
    ]);
    const row = rows[0];
    if (!row) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    const reporter = issue.reporterId === actor.id;
    const ev = evaluation[0];
    const open = info[0];
    return {
      ...toSummary(row),
      description: row.description,
      lat: row.lat,
      lng: row.lng,
      timeline: events.map(toEntry),
      beforePhotos: photos.filter((p) => p.kind === 'before').map((p) => ({ id: p.id, url: attachmentUrl(p.id) })),
      afterPhotos: photos.filter((p) => p.kind === 'after').map((p) => ({ id: p.id, url: attachmentUrl(p.id) })),
      infoRequest:
        reporter && open
          ? { id: open.id, question: open.question, askedAt: open.created_at.toISOString(), lapsesAt: open.lapses_at.toISOString() }
          : null,
      evaluation: ev ? { score: ev.score, rating: ratingOfScore(ev.score), comment: ev.comment, at: ev.created_at.toISOString() } : null,
      canEvaluate: reporter && row.status === 'closed' && !ev,
      canAnswer: reporter && row.status === 'in_progress' && !!open,
      reopenRequest: reopen[0] ? { id: reopen[0].id, status: reopen[0].status, newIssueId: reopen[0].new_issue_id } : null,
    };
  }

  /** Open issues close to where the resident stands, whoever reported them: enough to recognise one, nothing personal. */
  async nearbyOpen(actor: Actor, q: { lat: number; lng: number; categoryId?: number }): Promise<ResidentNearbyIssue[]> {
    const found = await this.nearby.find(actor, { lat: q.lat, lng: q.lng, categoryId: q.categoryId, radiusM: ME_TOO_RADIUS_M }, 'all');
    if (found.length === 0) return [];
    const rows: { id: number; category_name: string; me_too: number }[] = await this.db.query(
      `SELECT i.id, COALESCE(c.resident_name, c.name) AS category_name, cardinality(i.follower_ids) AS me_too
         FROM issues i JOIN categories c ON c.id = i.category_id WHERE i.id = ANY($1)`,
      [found.map((f) => f.id)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return found.map((f) => ({
      id: f.id,
      categoryName: byId.get(f.id)?.category_name ?? '',
      status: f.status,
      reportedAt: f.reportedAt,
      distanceM: f.distanceM ?? 0,
      meTooCount: byId.get(f.id)?.me_too ?? 0,
    }));
  }

  /**
   * "Me too": the resident follows an open issue near where they stand instead of reporting it
   * again; counted on the issue, recorded in its trail, and from then on in their list.
   */
  async join(actor: Actor, issueId: number, at: { lat: number; lng: number }): Promise<ResidentIssueDetail> {
    const rows: {
      lat: number | null;
      lng: number | null;
      grid_id: number;
      status: IssueStatus;
      reporter_id: number | null;
      follower_ids: number[];
    }[] = await this.db.query('SELECT lat, lng, grid_id, status, reporter_id, follower_ids FROM issues WHERE id = $1', [issueId]);
    const issue = rows[0];
    // Closed or unknown issues do not exist for this purpose: nothing to learn by guessing ids.
    if (!issue || TERMINAL_STATUSES.includes(issue.status)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    const near =
      issue.lat !== null && issue.lng !== null
        ? distanceM(at.lat, at.lng, issue.lat, issue.lng) <= ME_TOO_RADIUS_M
        : this.regions.gridAt(at.lat, at.lng)?.id === issue.grid_id;
    if (!near) throw new AppException('NOT_NEARBY', `Only an issue within ${ME_TOO_RADIUS_M} m of where you are can be joined`);
    if (issue.reporter_id === actor.id || issue.follower_ids.includes(actor.id)) {
      throw new AppException('ALREADY_JOINED', 'You already follow this issue');
    }
    // One statement: the follower (only while still open and not yet following) and its audit event.
    const joined: unknown[] = await this.db.query(
      `WITH j AS (
         UPDATE issues SET follower_ids = array_append(follower_ids, $2)
          WHERE id = $1 AND status <> ALL($3) AND NOT ($2 = ANY(follower_ids)) AND reporter_id IS DISTINCT FROM $2
          RETURNING id, status, cardinality(follower_ids) AS n
       )
       INSERT INTO issue_events (issue_id, type, from_status, to_status, actor_id, data, at)
       SELECT id, 'me_too', status, status, $2, jsonb_build_object('meTooCount', n), $4 FROM j RETURNING id`,
      [issueId, actor.id, TERMINAL_STATUSES, this.clock.now()],
    );
    if (joined.length === 0) throw new AppException('ALREADY_JOINED', 'You already follow this issue, or it has just closed');
    return this.detail(actor, issueId);
  }
}

function toSummary(r: SummaryRow): ResidentIssueSummary {
  return {
    id: r.id,
    number: r.number,
    categoryId: r.category_id,
    categoryName: r.category_name,
    status: r.status,
    step: r.info_open && r.status === 'in_progress' ? 'info_requested' : RESIDENT_STEP_OF_STATUS[r.status],
    reportedAt: r.reported_at.toISOString(),
    expectedAt: r.expected_at ? r.expected_at.toISOString() : null,
    departmentName: r.department_name,
    address: r.address,
    meTooCount: r.me_too,
    joined: r.joined,
    version: r.version,
  };
}

function toEntry(e: { type: string; at: Date; note: string | null; department_name: string | null }): ResidentTimelineEntry {
  const step = RESIDENT_STEP_OF_EVENT[e.type as IssueAction]!;
  return {
    step,
    at: e.at.toISOString(),
    departmentName: step === 'dispatched' ? e.department_name : null,
    note: RESIDENT_STEPS_WITH_NOTE.includes(step) ? e.note : null,
  };
}
