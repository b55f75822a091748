import type { IssueSource, Priority } from './api';
import type { SlaLevel, SlaStage } from './sla';
import type { IssueStatus, IssueAction } from './workflow';
import type { TopicStatus } from './topics';
import type { PoolAction, PoolClaimStatus, PoolItemKind, PoolItemStatus, VolunteerStatus } from './pool';

/**
 * Durable domain events. Every change others must hear about writes one row per event into the
 * event outbox in the same transaction as the change; the relay hands the committed rows to the
 * consumers (live gateway, webhooks, catch-up API). This file is the contract of those rows:
 * the event types, the data each carries, and the envelope consumers and receivers see.
 *
 * Payloads carry ids and the issue's own fields, never a person's name or phone number.
 */

/** The event types that are written today. */
export const DOMAIN_EVENT_TYPES = [
  'issue.reported',
  'issue.transitioned',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'supervision.raised',
  // co-signed topics (联名点题, ADR 0035)
  'topic.opened',
  'topic.cosigned',
  'topic.threshold_reached',
  'topic.assigned',
  'topic.reply_warning',
  'topic.reply_breached',
  'topic.answered',
  'topic.evaluated',
  'supervision.responded',
  'supervision.closed',
  'pool.published',
  'pool.claimed',
  'pool.waitlisted',
  'pool.promoted',
  'pool.drawn',
  'pool.started',
  'pool.withdrawn',
  'pool.completed',
  'pool.confirmed',
  'pool.cancelled',
  'pool.expired',
  'pool.claim_expired',
  // volunteers (报到 and the community's pause)
  'volunteer.registered',
  'volunteer.approved',
  'volunteer.suspended',
  'volunteer.reinstated',
  'volunteer.cap_changed',
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export const isDomainEventType = (value: unknown): value is DomainEventType =>
  typeof value === 'string' && (DOMAIN_EVENT_TYPES as readonly string[]).includes(value);

/**
 * What every issue event carries: where the issue is and what it is, after the change.
 *
 * `seq` counts the issue's events, 1 for its report, one more for each event after it (the issue
 * row's `event_seq`, bumped in the transaction that writes the event). Deliveries may arrive out of
 * order or twice; a receiver orders by `seq` and sees a gap when it missed one.
 */
export interface IssueEventBase {
  issueId: number;
  number: string;
  seq: number;
  /** The issue's status after the event. */
  status: IssueStatus;
  /** The issue's version after the event (SLA events do not change it). */
  version: number;
  title: string;
  categoryId: number;
  priority: Priority;
  source: IssueSource;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  departmentId: number | null;
  /** Staff user ids, for routing to people's workbenches. */
  reporterId: number | null;
  assigneeId: number | null;
}

/** A workflow step: the report (`action: 'report'`, from null) or an action on an existing issue. */
export interface IssueTransitionData extends IssueEventBase {
  action: IssueAction;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  /** Who acted (a staff user id); null for the system. */
  actorId: number | null;
  previousDepartmentId: number | null;
  previousAssigneeId: number | null;
  /** What the step did to the SLA clocks: change → stages, e.g. `{ "stopped": ["accept"], "started": ["handle"] }`. */
  sla: Record<string, SlaStage[]> | null;
}

export interface IssueReportedData extends IssueTransitionData {
  action: 'report';
  fromStatus: null;
  toStatus: 'reported';
}

/** A rung of an SLA clock fired: 黄牌 warning, 红牌 breach, escalation. */
export interface SlaFiredData extends IssueEventBase {
  clockId: number;
  stage: SlaStage;
  level: SlaLevel;
  /** The clock's due time (null while paused or stopped). */
  dueAt: string | null;
  /** The 督办 raised with a breach or an escalation, and the region it went to. */
  supervisionId: number | null;
  supervisionRegionId: number | null;
}

/** A 督办 was raised: by hand (the `supervise` action) or by the SLA engine (breach, escalation). */
export interface SupervisionRaisedData extends IssueEventBase {
  supervisionId: number;
  /** 1 = street command center, 2 = district. */
  level: number;
  regionId: number;
  /** The SLA clock that raised it; null when raised by hand. */
  clockId: number | null;
  /** The staff user who raised it; null when the SLA engine did. */
  byUserId: number | null;
}

/**
 * A co-signed topic changed (联名点题). Counts and offices only: never which residents co-signed
 * or evaluated. `seq` numbers the topic's events like an issue's.
 */
export interface TopicEventData {
  topicId: number;
  seq: number;
  /** The topic's status after the event. */
  status: TopicStatus;
  version: number;
  communityId: number;
  streetId: number | null;
  districtId: number | null;
  cosignCount: number;
  threshold: number;
  /** The office the reply is due from (after assignment). */
  departmentId: number | null;
  assigneeUserId: number | null;
  replyDueAt: string | null;
  evaluationCount: number;
  /** The staff user who acted (assign, answer); null for residents and the system. */
  actorId: number | null;
}

/** A 督办 was answered by the department (`respond`) or closed by the dispatcher (`close`). */
export interface SupervisionAnsweredData extends IssueEventBase {
  supervisionId: number;
  level: number;
  regionId: number | null;
  /** The staff user who answered or closed it. */
  actorId: number;
}

/**
 * A change of a service-pool item (群众点单 · 社区派单 · 党员接单): where it is, its state after the
 * change, and the claim the change was about. Ids only — never a volunteer's or resident's name.
 */
export interface PoolEventData {
  poolItemId: number;
  kind: PoolItemKind;
  communityId: number;
  streetId: number | null;
  districtId: number | null;
  /** The grid the item lies in, when known. */
  gridId: number | null;
  /** `suspend`: the claim ended because the community suspended its volunteer. */
  action: PoolAction | 'expire' | 'draw' | 'promote' | 'expire_claim' | 'suspend';
  fromStatus: PoolItemStatus;
  /** The item's status after the change (also `status`, for the catch-up archive's column). */
  toStatus: PoolItemStatus;
  status: PoolItemStatus;
  version: number;
  quota: number;
  claimedCount: number;
  claimId: number | null;
  volunteerId: number | null;
  claimStatus: PoolClaimStatus | null;
  /** Who acted (a user id); null for the timers. */
  actorId: number | null;
  /** The issue the item was turned from (转为服务需求). */
  linkedIssueId: number | null;
}

/**
 * A volunteer's registration changed (报到, approval, pause, reinstatement, weekly cap): where they
 * serve and their status after the change. Ids only — never the name.
 */
export interface VolunteerEventData {
  volunteerId: number;
  userId: number;
  communityId: number;
  streetId: number | null;
  districtId: number | null;
  action: 'register' | 'approve' | 'suspend' | 'reinstate' | 'set_cap';
  fromStatus: VolunteerStatus | null;
  status: VolunteerStatus;
  isPartyMember: boolean;
  weeklyCap: number | null;
  /** Claims the change ended (a suspension ends the volunteer's unfinished ones). */
  endedClaimIds: number[];
  actorId: number;
}

/** The data of each event type. */
export interface DomainEventDataMap {
  'issue.reported': IssueReportedData;
  'issue.transitioned': IssueTransitionData;
  'sla.warning': SlaFiredData;
  'sla.breached': SlaFiredData;
  'sla.escalated': SlaFiredData;
  'supervision.raised': SupervisionRaisedData;
  'topic.opened': TopicEventData;
  'topic.cosigned': TopicEventData;
  'topic.threshold_reached': TopicEventData;
  'topic.assigned': TopicEventData;
  'topic.reply_warning': TopicEventData;
  'topic.reply_breached': TopicEventData;
  'topic.answered': TopicEventData;
  'topic.evaluated': TopicEventData;
  'supervision.responded': SupervisionAnsweredData;
  'supervision.closed': SupervisionAnsweredData;
  'pool.published': PoolEventData;
  'pool.claimed': PoolEventData;
  'pool.waitlisted': PoolEventData;
  'pool.promoted': PoolEventData;
  'pool.drawn': PoolEventData;
  'pool.started': PoolEventData;
  'pool.withdrawn': PoolEventData;
  'pool.completed': PoolEventData;
  'pool.confirmed': PoolEventData;
  'pool.cancelled': PoolEventData;
  'pool.expired': PoolEventData;
  'pool.claim_expired': PoolEventData;
  'volunteer.registered': VolunteerEventData;
  'volunteer.approved': VolunteerEventData;
  'volunteer.suspended': VolunteerEventData;
  'volunteer.reinstated': VolunteerEventData;
  'volunteer.cap_changed': VolunteerEventData;
}

/**
 * One event as consumers, webhook receivers and the catch-up API see it. `id` is the outbox row id
 * as a decimal string: the same on every redelivery, so receivers de-duplicate by it.
 */
export interface DomainEventEnvelope<K extends DomainEventType = DomainEventType> {
  id: string;
  type: K;
  /** ISO 8601, when the change committed its transaction's clock. */
  occurredAt: string;
  data: DomainEventDataMap[K];
}

/** Any event, discriminated by `type`. */
export type AnyDomainEvent = { [K in DomainEventType]: DomainEventEnvelope<K> }[DomainEventType];

/** The events about one issue: their data extends IssueEventBase (topic and pool events do not). */
export const ISSUE_EVENT_TYPES = [
  'issue.reported',
  'issue.transitioned',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'supervision.raised',
  'supervision.responded',
  'supervision.closed',
] as const satisfies readonly DomainEventType[];
export type IssueEventType = (typeof ISSUE_EVENT_TYPES)[number];
export type IssueDomainEvent = { [K in IssueEventType]: DomainEventEnvelope<K> }[IssueEventType];

export function isIssueEvent(e: AnyDomainEvent): e is IssueDomainEvent {
  return (ISSUE_EVENT_TYPES as readonly string[]).includes(e.type);
}

/** `GET /api/v1/events?after=&limit=`: events after a cursor, in the order the relay delivered them. */
export interface EventPage {
  items: AnyDomainEvent[];
  /** Pass as `after` for the next page; null when there is nothing after this page yet. */
  nextAfter: string | null;
}

export const EVENT_PAGE_MAX = 500;
export const EVENT_PAGE_DEFAULT = 100;

/**
 * Signals: in-process, not durable (a lost one is followed by the next). They travel on the same bus
 * as the events so consumers subscribe to both the same way.
 */
export interface StatsAppliedSignal {
  epoch: string;
  version: number;
  regionIds: number[];
}
export interface DomainSignalDataMap {
  'stats.applied': StatsAppliedSignal;
  /** Users deactivated, locked, re-scoped or with a new password: their open sockets re-check their token. */
  'auth.users_changed': { userIds: number[] };
}
export type DomainSignalType = keyof DomainSignalDataMap;

/** SLA clock changes inside a transition, summarised in its event's `sla` field (they are not events of their own). */
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
