import type { IssueSource, Priority } from './api';
import type { IssueStatus, IssueAction } from './workflow';

/**
 * Domain events published in process after a transition commits. Realtime and SLA hang on
 * these; the map below types both the publisher and the listeners.
 */
export interface IssueTransitionedEvent {
  issueId: number;
  number: string;
  action: IssueAction;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  version: number;
  actorId: number | null;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
  previousDepartmentId: number | null;
  categoryId: number;
  at: string;
  /** For the realtime feed and the workbenches (issue frames), so listeners need not read the row again. */
  title: string;
  priority: Priority;
  source: IssueSource;
  reporterId: number | null;
  assigneeId: number | null;
  previousAssigneeId: number | null;
}

export interface DomainEvents {
  'issue.transitioned': IssueTransitionedEvent;
}

export type DomainEventName = keyof DomainEvents;
