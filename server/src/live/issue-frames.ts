import type { DomainEventEnvelope, IssueFrame, IssueTransitionData } from '@gridline/shared';
import type { IssueRouting } from './live-rooms';

/** A workflow step (the report too) as an issue frame, and where it goes. */
export function transitionFrame(e: DomainEventEnvelope<'issue.reported' | 'issue.transitioned'>): {
  frame: IssueFrame;
  routing: IssueRouting;
} {
  const d: IssueTransitionData = e.data;
  const frame: IssueFrame = {
    issueId: d.issueId,
    number: d.number,
    title: d.title,
    action: d.action,
    fromStatus: d.fromStatus,
    toStatus: d.toStatus,
    priority: d.priority,
    source: d.source,
    categoryId: d.categoryId,
    gridId: d.gridId,
    communityId: d.communityId,
    streetId: d.streetId,
    districtId: d.districtId,
    departmentId: d.departmentId,
    assigneeId: d.assigneeId,
    issueVersion: d.version,
    at: e.occurredAt,
  };
  return { frame, routing: d };
}

/**
 * An SLA warning (黄牌) or breach (红牌) as an issue frame (action `sla.warning` / `sla.breached`;
 * the status does not change), built from the event alone.
 */
export function slaFrame(e: DomainEventEnvelope<'sla.warning' | 'sla.breached'>): { frame: IssueFrame; routing: IssueRouting } {
  const d = e.data;
  const frame: IssueFrame = {
    issueId: d.issueId,
    number: d.number,
    title: d.title,
    action: e.type,
    fromStatus: d.status,
    toStatus: d.status,
    priority: d.priority,
    source: d.source,
    categoryId: d.categoryId,
    gridId: d.gridId,
    communityId: d.communityId,
    streetId: d.streetId,
    districtId: d.districtId,
    departmentId: d.departmentId,
    assigneeId: d.assigneeId,
    issueVersion: d.version,
    at: e.occurredAt,
  };
  const routing: IssueRouting = Object.assign({}, d, {
    previousDepartmentId: null,
    fromStatus: d.status,
    toStatus: d.status,
    previousAssigneeId: null,
  });
  return { frame, routing };
}
