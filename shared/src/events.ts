import type { SlaLevel, SlaStage } from './sla';
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
}

/** An SLA clock event (SPEC §5): where it happened, so realtime can route it to rooms. */
export interface SlaClockEvent {
  issueId: number;
  number: string;
  clockId: number;
  stage: SlaStage;
  /** For sla.warning / sla.breached / sla.escalated: which rung fired. */
  level: SlaLevel | null;
  /** The clock's due time after the change (null while paused or stopped). */
  dueAt: string | null;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
  /** The 督办 raised with a breach or escalation, and the region it went to. */
  supervisionId: number | null;
  supervisionRegionId: number | null;
  at: string;
}

export const SLA_EVENT_NAMES = [
  'sla.started',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'sla.paused',
  'sla.resumed',
  'sla.extended',
  'sla.stopped',
  'sla.recomputed',
] as const;
export type SlaEventName = (typeof SLA_EVENT_NAMES)[number];

export interface DomainEvents extends Record<SlaEventName, SlaClockEvent> {
  'issue.transitioned': IssueTransitionedEvent;
}

export type DomainEventName = keyof DomainEvents;
