import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  allowedActions,
  PAGE_SIZE_MAX,
  REOPEN_DECIDERS,
  TERMINAL_STATUSES,
  type AttachmentView,
  type ExtensionRequestView,
  type IssueDetail,
  type IssueEventView,
  type IssueSummary,
  type Page,
  type SlaClockView,
  type SupervisionFlag,
  type SupervisionView,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { Attachment } from '../attachments/attachment.entity';
import { AppException } from '../common/app.exception';
import { DepartmentsService } from '../departments/departments.service';
import { RegionsService } from '../regions/regions.service';
import type { ListIssuesQuery } from './dto/list-issues.query';
import { ScopeService } from '../scope/scope.service';
import { pendingHoldRequest } from './hold-requests';
import { Issue } from './issue.entity';
import { ExtensionRequest } from './issue-records.entity';
import { ClockService } from '../common/clock.service';
import { SlaClocksService } from '../sla/sla-clocks.service';
import { contactDisclosure, contactView, type ResidentContactRow } from '../residents/contact-disclosure';
import { ResidentsService } from '../residents/residents.service';
import { ListTotals } from '../common/list-totals';
import { caseInsensitiveLike, containsPattern } from '../common/text-contains';
import { openSupervisionFlags, supervisionsOfIssue } from '../supervisions/supervision-reads';

/** Every issue column of alias `i`, named as the entity's properties (for raw queries that return an Issue). */
export const ISSUE_SELECT = `i.id, i.number, i.title, i.description, i.category_id AS "categoryId", i.priority, i.status, i.source,
  i.grid_id AS "gridId", i.community_id AS "communityId", i.street_id AS "streetId", i.district_id AS "districtId", i.lat, i.lng,
  i.address, i.reporter_id AS "reporterId", i.resident_id AS "residentId", i.follower_ids AS "followerIds", i.department_id AS "departmentId", i.assignee_id AS "assigneeId",
  i.merged_into_id AS "mergedIntoId", i.escalated_to_region_id AS "escalatedToRegionId", i.version, i.device_time AS "deviceTime", i.reported_at AS "reportedAt",
  i.accepted_at AS "acceptedAt", i.dispatched_at AS "dispatchedAt", i.resolved_at AS "resolvedAt", i.closed_at AS "closedAt",
  i.updated_at AS "updatedAt", i.sla_due_at AS "slaDueAt"`;

/** The columns of a list row, named as the entity's properties. */
export const SUMMARY_SELECT = `i.id, i.number, i.title, i.status, i.priority, i.category_id AS "categoryId", i.grid_id AS "gridId",
  i.department_id AS "departmentId", i.assignee_id AS "assigneeId", i.reporter_id AS "reporterId", i.source, i.address,
  i.reported_at AS "reportedAt", i.updated_at AS "updatedAt", i.version, i.sla_due_at AS "slaDueAt"`;

export type SummaryFields = Pick<
  Issue,
  | 'id'
  | 'number'
  | 'title'
  | 'status'
  | 'priority'
  | 'categoryId'
  | 'gridId'
  | 'departmentId'
  | 'assigneeId'
  | 'reporterId'
  | 'source'
  | 'address'
  | 'reportedAt'
  | 'updatedAt'
  | 'version'
  | 'slaDueAt'
>;

/** The issue list's order: newest report first. */
const LIST_ORDER = 'i.reported_at DESC, i.id DESC';

/** Reads of issues, always through the caller's scope: what they may not see does not exist (404). */
@Injectable()
export class IssueQueriesService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly regions: RegionsService,
    private readonly departments: DepartmentsService,
    private readonly clock: ClockService,
    private readonly sla: SlaClocksService,
    private readonly residents: ResidentsService,
    private readonly totals: ListTotals,
  ) {}

  async list(actor: Actor, q: ListIssuesQuery): Promise<Page<IssueSummary>> {
    const params: unknown[] = [];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [
      q.regionId === undefined ? this.scope.visibilitySql(actor, params) : this.scope.visibilityWithinSql(actor, q.regionId, params),
    ];
    if (q.status?.length) where.push(`i.status = ANY(${p(q.status)})`);
    if (q.regionId !== undefined) where.push(this.regions.subtreeCondition([q.regionId], params));
    if (q.departmentId !== undefined) where.push(`i.department_id = ${p(q.departmentId)}`);
    if (q.categoryId !== undefined) where.push(`i.category_id = ${p(q.categoryId)}`);
    if (q.priority !== undefined) where.push(`i.priority = ${p(q.priority)}`);
    if (q.from !== undefined) where.push(`i.reported_at >= ${p(q.from)}`);
    if (q.to !== undefined) where.push(`i.reported_at < ${p(q.to)}`);
    if (q.reportedByMe) where.push(`i.reporter_id = ${p(actor.id)}`);
    if (q.assignedToMe) where.push(`i.assignee_id = ${p(actor.id)}`);
    if (q.mine) {
      const me = p(actor.id);
      where.push(`(i.reporter_id = ${me} OR i.follower_ids && ARRAY[${me}::int])`);
    }
    if (q.overdue === true) where.push(`i.sla_due_at < ${p(this.clock.now())}`);
    if (q.overdue === false) where.push(`(i.sla_due_at IS NULL OR i.sla_due_at >= ${p(this.clock.now())})`);
    // 超时与预警: overdue now, or an open clock past its warning instant (黄牌); the partial index on open clocks answers the EXISTS.
    if (q.slaAlert === true) {
      const now = p(this.clock.now());
      where.push(`i.status <> ALL(${p(TERMINAL_STATUSES)}) AND (i.sla_due_at < ${now} OR EXISTS (SELECT 1 FROM sla_clocks c
        WHERE c.issue_id = i.id AND c.stopped_at IS NULL AND c.warn_at <= ${now}))`);
    }
    if (q.hasPendingExtension !== undefined) {
      where.push(
        `${q.hasPendingExtension ? '' : 'NOT '}EXISTS (SELECT 1 FROM extension_requests x WHERE x.issue_id = i.id AND x.status = 'pending')`,
      );
    }
    // Returned: back in "accepted" and its latest move into that status was a department's return.
    if (q.returned !== undefined) {
      where.push(`${q.returned ? '' : 'NOT '}(i.status = 'accepted' AND (SELECT e.type FROM issue_events e
        WHERE e.issue_id = i.id AND e.to_status = 'accepted' ORDER BY e.id DESC LIMIT 1) = 'return')`);
    }
    if (q.hasPendingReopenRequest !== undefined) {
      where.push(
        `${q.hasPendingReopenRequest ? '' : 'NOT '}EXISTS (SELECT 1 FROM reopen_requests rr WHERE rr.issue_id = i.id AND rr.status = 'pending')`,
      );
    }
    if (q.supervised !== undefined) {
      where.push(`${q.supervised ? '' : 'NOT '}EXISTS (SELECT 1 FROM supervisions s WHERE s.issue_id = i.id AND s.closed_at IS NULL)`);
    }
    if (q.hasPendingHold !== undefined) {
      where.push(
        `${q.hasPendingHold ? '' : 'NOT '}EXISTS (SELECT 1 FROM hold_requests h WHERE h.issue_id = i.id AND h.status = 'pending')`,
      );
    }
    // 上报件: passed up to one of the caller's own centres (a dispatcher's region), whichever level it came from.
    if (q.escalatedToMe !== undefined) {
      const mine = `i.escalated_to_region_id = ANY(${p(actor.regionIds)})`;
      where.push(q.escalatedToMe ? mine : `(i.escalated_to_region_id IS NULL OR NOT ${mine})`);
    }
    if (q.q !== undefined) {
      const like = p(containsPattern(q.q));
      const op = caseInsensitiveLike(q.q);
      where.push(`(i.number ${op} ${like} OR i.title ${op} ${like} OR i.description ${op} ${like} OR i.address ${op} ${like})`);
    }
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, PAGE_SIZE_MAX);
    const offset = (page - 1) * pageSize;
    const sqlWhere = where.join(' AND ');
    const filterParams = [...params]; // the count takes the filters only, not LIMIT/OFFSET
    const listSql = `SELECT ${SUMMARY_SELECT} FROM issues i WHERE ${sqlWhere}
      ORDER BY ${LIST_ORDER} LIMIT ${p(pageSize)} OFFSET ${p(offset)}`;
    // A text search scans its scope: one scan then gives the count and, under the cap, the page's ids
    // (sorted in the list's order, over the scan's two columns).
    const scanned =
      q.q === undefined
        ? undefined
        : await this.totals.scan(`SELECT i.id, i.reported_at FROM issues i WHERE ${sqlWhere}`, 'reported_at DESC, id DESC', filterParams, {
            limit: pageSize,
            offset,
          });
    const [rows, totals] = await Promise.all([
      scanned?.ids ? this.summariesOf(scanned.ids, sqlWhere, filterParams) : (this.db.query(listSql, params) as Promise<SummaryFields[]>),
      scanned?.totals ?? this.totals.count(`issues i WHERE ${sqlWhere}`, filterParams),
    ]);
    const now = this.clock.now();
    const flags = await openSupervisionFlags(
      this.db,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((r) => Object.assign(toSummary(r, now), { supervision: flags.get(r.id) ?? null })),
      page,
      pageSize,
      ...totals,
    };
  }

  /** The summaries of these issues, in the list's order; the filter is applied again, as the issues may have changed since. */
  private summariesOf(ids: number[], sqlWhere: string, filterParams: readonly unknown[]): Promise<SummaryFields[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT ${SUMMARY_SELECT} FROM issues i WHERE i.id = ANY($${filterParams.length + 1}) AND ${sqlWhere} ORDER BY ${LIST_ORDER}`,
      [...filterParams, ids],
    );
  }

  /** The issue as the caller may see it, with the actions they may take now and the whole timeline. */
  async detail(actor: Actor, issueId: number): Promise<IssueDetail> {
    const issue = await this.visibleIssue(actor, issueId);
    const [timeline, attachments, extensions, slaClocks, contact, reopen, supervisions, hold] = await Promise.all([
      this.timeline(issueId),
      this.db.getRepository(Attachment).find({ where: { issueId }, order: { id: 'ASC' } }),
      this.db.getRepository(ExtensionRequest).find({ where: { issueId }, order: { id: 'ASC' } }),
      this.sla.views(issueId),
      this.residents.contactRow(issue.residentId),
      this.pendingReopenRequest(actor, issueId),
      supervisionsOfIssue(this.db, issueId),
      pendingHoldRequest(this.db, issueId),
    ]);
    const open = supervisions.filter((s) => s.closedAt === null);
    return this.toDetail(actor, issue, {
      supervisions,
      supervision: open.length ? { level: Math.max(...open.map((s) => s.level)), open: open.length } : null,
      timeline,
      attachments: attachments.map(toAttachmentView),
      extensions: extensions.map(toExtensionView),
      slaClocks,
      contact,
      reopen,
      hold,
    });
  }

  /** Assembles the detail view from parts already loaded (the report path builds them from its insert). */
  toDetail(
    actor: Actor,
    issue: Issue,
    parts: {
      timeline: IssueEventView[];
      attachments: AttachmentView[];
      extensions: ExtensionRequestView[];
      slaClocks: SlaClockView[];
      contact?: ResidentContactRow | null;
      reopen?: IssueDetail['pendingReopenRequest'];
      supervisions?: SupervisionView[];
      supervision?: SupervisionFlag | null;
      hold?: IssueDetail['pendingHoldRequest'];
    },
  ): IssueDetail {
    const relations = this.scope.relations(actor, issue);
    const disclosure = contactDisclosure(actor, issue.status, relations);
    // Onto the summary with Object.assign, not spread into a copy and extended: V8 keeps such
    // copies past the young generation (docs/adr/0063-no-spread-then-extend-on-hot-paths.md).
    return Object.assign(toSummary(issue, this.clock.now()), {
      description: issue.description,
      lat: issue.lat,
      lng: issue.lng,
      regionPath: { districtId: issue.districtId, streetId: issue.streetId, communityId: issue.communityId },
      mergedIntoId: issue.mergedIntoId,
      deviceTime: iso(issue.deviceTime),
      acceptedAt: iso(issue.acceptedAt),
      dispatchedAt: iso(issue.dispatchedAt),
      resolvedAt: iso(issue.resolvedAt),
      closedAt: iso(issue.closedAt),
      suggestedDepartmentId: this.departments.suggest(issue.categoryId, issue.gridId),
      allowedActions: allowedActions(issue.status, actor.role, relations),
      extensionRequests: parts.extensions,
      attachments: parts.attachments,
      timeline: parts.timeline,
      slaClocks: parts.slaClocks,
      residentContact: parts.contact && disclosure !== 'none' ? contactView(parts.contact, disclosure) : null,
      pendingReopenRequest: parts.reopen ?? null,
      meTooCount: (issue.followerIds ?? []).length,
      supervision: parts.supervision ?? null,
      supervisions: parts.supervisions ?? [],
      pendingHoldRequest: parts.hold ?? null,
      escalatedToRegionId: issue.escalatedToRegionId ?? null,
    });
  }

  /** Staff who decide (dispatchers, admins) see the pending reopen request of a closed issue. */
  private async pendingReopenRequest(actor: Actor, issueId: number): Promise<IssueDetail['pendingReopenRequest']> {
    if (!(REOPEN_DECIDERS as readonly string[]).includes(actor.role)) return null;
    const rows: { id: number; score: number; reason: string | null; created_at: Date }[] = await this.db.query(
      `SELECT q.id, v.score, q.reason, q.created_at FROM reopen_requests q JOIN evaluations v ON v.id = q.evaluation_id
        WHERE q.issue_id = $1 AND q.status = 'pending' ORDER BY q.id LIMIT 1`,
      [issueId],
    );
    const r = rows[0];
    return r ? { id: r.id, score: r.score, reason: r.reason, createdAt: r.created_at.toISOString() } : null;
  }

  async events(actor: Actor, issueId: number): Promise<IssueEventView[]> {
    await this.visibleIssue(actor, issueId);
    return this.timeline(issueId);
  }

  async visibleIssue(actor: Actor, issueId: number): Promise<Issue> {
    const issue = await this.db.getRepository(Issue).findOneBy({ id: issueId });
    if (!issue || !this.scope.canSee(actor, issue)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    return issue;
  }

  private async timeline(issueId: number): Promise<IssueEventView[]> {
    const rows: {
      id: string;
      type: string;
      from_status: IssueEventView['fromStatus'];
      to_status: IssueEventView['toStatus'];
      actor_id: number | null;
      actor_name: string | null;
      note: string | null;
      data: Record<string, unknown>;
      at: Date;
      attachments: Omit<AttachmentView, 'url' | 'thumbUrl'>[];
    }[] = await this.db.query(
      `SELECT e.id, e.type, e.from_status, e.to_status, e.actor_id, u.display_name AS actor_name, e.note, e.data, e.at,
              COALESCE((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'mimeType', a.mime_type,
                        'sizeBytes', a.size_bytes, 'sha256', a.sha256, 'width', a.width, 'height', a.height) ORDER BY a.id)
                          FROM attachments a WHERE a.event_id = e.id), '[]') AS attachments
         FROM issue_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.issue_id = $1 ORDER BY e.id`,
      [issueId],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      actorId: r.actor_id,
      actorName: r.actor_name,
      note: r.note,
      data: r.data,
      at: r.at.toISOString(),
      attachments: r.attachments.map((a) => Object.assign({}, a, { url: attachmentUrl(a.id), thumbUrl: thumbUrl(a.id) })),
    }));
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;
export const thumbUrl = (id: number) => `/api/v1/attachments/${id}?size=thumb`;

export function toSummary(r: SummaryFields, now: Date): IssueSummary {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    status: r.status,
    priority: r.priority,
    categoryId: r.categoryId,
    gridId: r.gridId,
    departmentId: r.departmentId,
    assigneeId: r.assigneeId,
    reporterId: r.reporterId,
    source: r.source,
    address: r.address,
    reportedAt: r.reportedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
    dueAt: iso(r.slaDueAt),
    overdue: r.slaDueAt !== null && r.slaDueAt < now,
  };
}

function toAttachmentView(a: Attachment): AttachmentView {
  const { id, kind, mimeType, sizeBytes, sha256, width, height } = a;
  return { id, kind, mimeType, sizeBytes, sha256, width, height, url: attachmentUrl(id), thumbUrl: thumbUrl(id) };
}

function toExtensionView(e: ExtensionRequest): ExtensionRequestView {
  return {
    id: e.id,
    minutes: e.minutes,
    reason: e.reason,
    status: e.status,
    requestedById: e.requestedBy,
    decidedById: e.decidedBy,
    createdAt: e.createdAt.toISOString(),
    decidedAt: iso(e.decidedAt),
  };
}
