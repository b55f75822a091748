import type { IssueFrame, IssueSource, IssueStatus, IssueTransitionedEvent, Priority, SlaClockEvent } from '@gridline/shared';
import type { IssueRouting } from './live-rooms';

export function transitionFrame(e: IssueTransitionedEvent): IssueFrame {
  return {
    issueId: e.issueId,
    number: e.number,
    title: e.title,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    priority: e.priority,
    source: e.source,
    categoryId: e.categoryId,
    gridId: e.gridId,
    communityId: e.communityId,
    streetId: e.streetId,
    districtId: e.districtId,
    departmentId: e.departmentId,
    assigneeId: e.assigneeId,
    issueVersion: e.version,
    at: e.at,
  };
}

/** The issue fields an SLA event lacks, read by id (SLA events are few: a warning or a breach per clock). */
export const SLA_FRAME_ISSUE_SQL = `
  SELECT title, status, priority, source, category_id AS "categoryId", reporter_id AS "reporterId",
         assignee_id AS "assigneeId", version
    FROM issues WHERE id = $1`;

export interface SlaFrameIssue {
  title: string;
  status: IssueStatus;
  priority: Priority;
  source: IssueSource;
  categoryId: number;
  reporterId: number | null;
  assigneeId: number | null;
  version: number;
}

/** An SLA warning or breach as an issue frame (action `sla.warning` / `sla.breached`; the status does not change). */
export function slaFrame(name: string, e: SlaClockEvent, issue: SlaFrameIssue): { frame: IssueFrame; routing: IssueRouting } {
  const frame: IssueFrame = {
    issueId: e.issueId,
    number: e.number,
    title: issue.title,
    action: name as `sla.${string}`,
    fromStatus: issue.status,
    toStatus: issue.status,
    priority: issue.priority,
    source: issue.source,
    categoryId: issue.categoryId,
    gridId: e.gridId,
    communityId: e.communityId,
    streetId: e.streetId,
    districtId: e.districtId,
    departmentId: e.departmentId,
    assigneeId: issue.assigneeId,
    issueVersion: issue.version,
    at: e.at,
  };
  const routing: IssueRouting = {
    ...e,
    previousDepartmentId: null,
    fromStatus: issue.status,
    toStatus: issue.status,
    reporterId: issue.reporterId,
    assigneeId: issue.assigneeId,
    previousAssigneeId: null,
  };
  return { frame, routing };
}
