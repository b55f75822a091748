import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  allowedActions,
  PAGE_SIZE_MAX,
  type AttachmentView,
  type ExtensionRequestView,
  type IssueDetail,
  type IssueEventView,
  type IssueSummary,
  type Page,
  type SlaClockView,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { Attachment } from '../attachments/attachment.entity';
import { AppException } from '../common/app.exception';
import { DepartmentsService } from '../departments/departments.service';
import { RegionsService } from '../regions/regions.service';
import type { ListIssuesQuery } from './dto/list-issues.query';
import { IssueAccess } from './issue-access';
import { Issue } from './issue.entity';
import { ExtensionRequest } from './issue-records.entity';
import { ClockService } from '../common/clock.service';
import { SlaClocksService } from '../sla/sla-clocks.service';

/** Every issue column of alias `i`, named as the entity's properties (for raw queries that return an Issue). */
export const ISSUE_SELECT = `i.id, i.number, i.title, i.description, i.category_id AS "categoryId", i.priority, i.status, i.source,
  i.grid_id AS "gridId", i.community_id AS "communityId", i.street_id AS "streetId", i.district_id AS "districtId", i.lat, i.lng,
  i.address, i.reporter_id AS "reporterId", i.department_id AS "departmentId", i.assignee_id AS "assigneeId",
  i.merged_into_id AS "mergedIntoId", i.version, i.device_time AS "deviceTime", i.reported_at AS "reportedAt",
  i.accepted_at AS "acceptedAt", i.dispatched_at AS "dispatchedAt", i.resolved_at AS "resolvedAt", i.closed_at AS "closedAt",
  i.updated_at AS "updatedAt", i.sla_due_at AS "slaDueAt"`;

/** The columns of a list row, named as the entity's properties. */
const SUMMARY_SELECT = `i.id, i.number, i.title, i.status, i.priority, i.category_id AS "categoryId", i.grid_id AS "gridId",
  i.department_id AS "departmentId", i.assignee_id AS "assigneeId", i.reporter_id AS "reporterId", i.source, i.address,
  i.reported_at AS "reportedAt", i.updated_at AS "updatedAt", i.version, i.sla_due_at AS "slaDueAt"`;

type SummaryFields = Pick<
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

/** Reads of issues, always through the caller's scope: what they may not see does not exist (404). */
@Injectable()
export class IssueQueriesService {
  constructor(
    private readonly db: DataSource,
    private readonly access: IssueAccess,
    private readonly regions: RegionsService,
    private readonly departments: DepartmentsService,
    private readonly clock: ClockService,
    private readonly sla: SlaClocksService,
  ) {}

  async list(actor: Actor, q: ListIssuesQuery): Promise<Page<IssueSummary>> {
    const params: unknown[] = [];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [this.access.visibilitySql(actor, params)];
    if (q.status?.length) where.push(`i.status = ANY(${p(q.status)})`);
    if (q.regionId !== undefined) where.push(this.regions.subtreeCondition([q.regionId], params));
    if (q.departmentId !== undefined) where.push(`i.department_id = ${p(q.departmentId)}`);
    if (q.categoryId !== undefined) where.push(`i.category_id = ${p(q.categoryId)}`);
    if (q.priority !== undefined) where.push(`i.priority = ${p(q.priority)}`);
    if (q.from !== undefined) where.push(`i.reported_at >= ${p(q.from)}`);
    if (q.to !== undefined) where.push(`i.reported_at < ${p(q.to)}`);
    if (q.reportedByMe) where.push(`i.reporter_id = ${p(actor.id)}`);
    if (q.assignedToMe) where.push(`i.assignee_id = ${p(actor.id)}`);
    if (q.overdue === true) where.push(`i.sla_due_at < ${p(this.clock.now())}`);
    if (q.overdue === false) where.push(`(i.sla_due_at IS NULL OR i.sla_due_at >= ${p(this.clock.now())})`);
    if (q.q !== undefined) {
      const like = p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(i.number ILIKE ${like} OR i.title ILIKE ${like} OR i.description ILIKE ${like} OR i.address ILIKE ${like})`);
    }
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, PAGE_SIZE_MAX);
    const sqlWhere = where.join(' AND ');
    const filterParams = [...params]; // the count takes the filters only, not LIMIT/OFFSET
    const listSql = `SELECT ${SUMMARY_SELECT} FROM issues i WHERE ${sqlWhere}
      ORDER BY i.reported_at DESC, i.id DESC LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`;
    const [rows, count] = await Promise.all([
      this.db.query(listSql, params) as Promise<SummaryFields[]>,
      this.db.query(`SELECT count(*)::int AS total FROM issues i WHERE ${sqlWhere}`, filterParams) as Promise<{ total: number }[]>,
    ]);
    const now = this.clock.now();
    return { items: rows.map((r) => toSummary(r, now)), page, pageSize, total: count[0]?.total ?? 0 };
  }

  /** The issue as the caller may see it, with the actions they may take now and the whole timeline. */
  async detail(actor: Actor, issueId: number): Promise<IssueDetail> {
    const issue = await this.visibleIssue(actor, issueId);
    const [timeline, attachments, extensions, slaClocks] = await Promise.all([
      this.timeline(issueId),
      this.db.getRepository(Attachment).find({ where: { issueId }, order: { id: 'ASC' } }),
      this.db.getRepository(ExtensionRequest).find({ where: { issueId }, order: { id: 'ASC' } }),
      this.sla.views(issueId),
    ]);
    return this.toDetail(actor, issue, {
      timeline,
      attachments: attachments.map(toAttachmentView),
      extensions: extensions.map(toExtensionView),
      slaClocks,
    });
  }

  /** Assembles the detail view from parts already loaded (the report path builds them from its insert). */
  toDetail(
    actor: Actor,
    issue: Issue,
    parts: { timeline: IssueEventView[]; attachments: AttachmentView[]; extensions: ExtensionRequestView[]; slaClocks: SlaClockView[] },
  ): IssueDetail {
    return {
      ...toSummary(issue, this.clock.now()),
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
      allowedActions: allowedActions(issue.status, actor.role, this.access.relations(actor, issue)),
      extensionRequests: parts.extensions,
      attachments: parts.attachments,
      timeline: parts.timeline,
      slaClocks: parts.slaClocks,
    };
  }

  async events(actor: Actor, issueId: number): Promise<IssueEventView[]> {
    await this.visibleIssue(actor, issueId);
    return this.timeline(issueId);
  }

  async visibleIssue(actor: Actor, issueId: number): Promise<Issue> {
    const issue = await this.db.getRepository(Issue).findOneBy({ id: issueId });
    if (!issue || !this.access.canSee(actor, issue)) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
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
      attachments: Omit<AttachmentView, 'url'>[];
    }[] = await this.db.query(
      `SELECT e.id, e.type, e.from_status, e.to_status, e.actor_id, u.display_name AS actor_name, e.note, e.data, e.at,
              COALESCE((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'mimeType', a.mime_type,
                        'sizeBytes', a.size_bytes, 'sha256', a.sha256) ORDER BY a.id)
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
      attachments: r.attachments.map((a) => ({ ...a, url: attachmentUrl(a.id) })),
    }));
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

function toSummary(r: SummaryFields, now: Date): IssueSummary {
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
  return { id: a.id, kind: a.kind, mimeType: a.mimeType, sizeBytes: a.sizeBytes, sha256: a.sha256, url: attachmentUrl(a.id) };
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
