import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DecideReopenInput, ReopenRequestView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AuthService } from '../auth/auth.service';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { IssueReportService } from '../issues/issue-report.service';
import { Issue } from '../issues/issue.entity';
import { ScopeService } from '../scope/scope.service';

interface RequestRow {
  id: number;
  issue_id: number;
  number: string;
  title: string;
  score: number;
  reason: string | null;
  status: ReopenRequestView['status'];
  created_at: Date;
  closed_at: Date | null;
  decided_by: number | null;
  decision_note: string | null;
  new_issue_id: number | null;
  requested_by: number;
}

const SELECT = `SELECT q.id, q.issue_id, i.number, i.title, v.score, q.reason, q.status, q.created_at, i.closed_at, q.decided_by,
                       q.decision_note, q.new_issue_id, q.requested_by
                  FROM reopen_requests q JOIN issues i ON i.id = q.issue_id JOIN evaluations v ON v.id = q.evaluation_id`;

/**
 * 不满意 within 7 days of the close asks the dispatcher to reopen. The dispatcher decides: a
 * reopen files a new issue (重办) for the resident, linked from the request, the closed one stays
 * closed (closed is terminal); a decline keeps it closed with the dispatcher's note.
 */
@Injectable()
export class ReopenRequestsService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly reports: IssueReportService,
    private readonly auth: AuthService,
    private readonly clock: ClockService,
  ) {}

  async list(actor: Actor, status: ReopenRequestView['status'] | undefined): Promise<ReopenRequestView[]> {
    const params: unknown[] = [];
    const where = [this.scope.visibilitySql(actor, params)];
    if (status) {
      params.push(status);
      where.push(`q.status = $${params.length}`);
    }
    const rows: RequestRow[] = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY q.id DESC LIMIT 200`, params);
    return rows.map(toView);
  }

  async decide(actor: Actor, id: number, input: DecideReopenInput): Promise<ReopenRequestView> {
    const request = await this.visible(actor, id);
    if (request.status !== 'pending') throw new AppException('REOPEN_REQUEST_NOT_PENDING', `Reopen request ${id} was already decided`);
    const now = this.clock.now();
    let newIssueId: number | null = null;
    if (input.reopen) {
      const original = await this.db.getRepository(Issue).findOneByOrFail({ id: request.issue_id });
      const resident = await this.auth.loadActor(request.requested_by);
      if (!resident) throw new AppException('UNKNOWN_REFERENCE', 'The resident who asked is no longer active');
      // Filed as the resident's own report, once: the key makes a retried decision find the same issue.
      const result = await this.reports.report(
        resident,
        {
          title: `重办 ${original.number}`,
          description: `重办 ${original.number}（群众不满意${request.reason ? `：${request.reason}` : ''}）\n${original.description}`.slice(
            0,
            5000,
          ),
          categoryId: original.categoryId,
          priority: original.priority,
          gridId: original.gridId,
          ...(original.lat !== null && original.lng !== null ? { lat: original.lat, lng: original.lng } : {}),
          ...(original.address ? { address: original.address } : {}),
        },
        [],
        `reopen-request-${id}`,
        original.residentId !== null ? { residentId: original.residentId } : {},
      );
      newIssueId = result.issueId;
    }
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE reopen_requests SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5, new_issue_id = $6
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, input.reopen ? 'reopened' : 'declined', actor.id, now, input.note ?? null, newIssueId],
    );
    if (rows.length === 0) throw new AppException('REOPEN_REQUEST_NOT_PENDING', `Reopen request ${id} was already decided`);
    return toView(await this.visible(actor, id));
  }

  private async visible(actor: Actor, id: number): Promise<RequestRow> {
    const params: unknown[] = [id];
    const where = this.scope.visibilitySql(actor, params);
    const rows: RequestRow[] = await this.db.query(`${SELECT} WHERE q.id = $1 AND ${where}`, params);
    if (!rows[0]) throw new AppException('NOT_FOUND', `Reopen request ${id} not found`);
    return rows[0];
  }
}

function toView(r: RequestRow): ReopenRequestView {
  return {
    id: r.id,
    issueId: r.issue_id,
    issueNumber: r.number,
    issueTitle: r.title,
    score: r.score,
    reason: r.reason,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    decidedById: r.decided_by,
    decisionNote: r.decision_note,
    newIssueId: r.new_issue_id,
  };
}
