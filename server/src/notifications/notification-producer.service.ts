import { Injectable } from '@nestjs/common';
import { isIssueEvent, type AnyDomainEvent, type DomainEventEnvelope, type IssueEventBase } from '@gridline/shared';
import type { EntityManager } from 'typeorm';
import { OnDomainEventOnce } from '../events/on-domain-event.decorator';
import { RegionsService } from '../regions/regions.service';
import { NAMED_ROLES, planFor, smsEligible, type NotificationPlan } from './notification-rules';
import { INSERT_NOTIFICATIONS_SQL } from './notification-sql';

/**
 * Turns committed domain events into inbox rows (and the push/SMS deliveries they need), once per
 * cluster, inside the relay's transaction: the rows commit with the mark that the events were
 * delivered. A relay that dies before that commit delivers the batch again; the (user, event)
 * unique index makes the second pass write nothing.
 */
@Injectable()
export class NotificationProducer {
  constructor(private readonly regions: RegionsService) {}

  @OnDomainEventOnce('issue.transitioned', 'sla.warning', 'sla.breached', 'supervision.raised')
  async onEvent(
    e: DomainEventEnvelope<'issue.transitioned' | 'sla.warning' | 'sla.breached' | 'supervision.raised'>,
    tx: EntityManager,
  ): Promise<void> {
    await this.produce(e as AnyDomainEvent, tx);
  }

  /** How many notifications the event made (0 for one seen before, or that concerns no one). */
  async produce(e: AnyDomainEvent, tx: EntityManager): Promise<number> {
    if (!isIssueEvent(e)) return 0;
    const plan = planFor(e);
    if (!plan) return 0;
    const [row] = (await tx.query(INSERT_NOTIFICATIONS_SQL, this.params(e.id, e.data, plan, new Date(e.occurredAt)))) as [
      { inserted: number },
    ];
    return row.inserted;
  }

  private params(eventId: string, d: IssueEventBase, plan: NotificationPlan, at: Date): unknown[] {
    const wants = (kind: string) => plan.audiences.some((a) => a.kind === kind);
    const named: number[] = [];
    if (wants('reporter') && d.reporterId !== null) named.push(d.reporterId);
    if (wants('assignee') && d.assigneeId !== null) named.push(d.assigneeId);
    // The dispatchers of every command center above the grid (street, district…), as the scope module sees regions.
    const path = this.regions.get(d.gridId)?.path ?? [d.districtId, d.streetId, d.communityId, d.gridId];
    return [
      wants('grid_workers') ? d.gridId : null,
      named,
      NAMED_ROLES,
      wants('department_leads') ? d.departmentId : null,
      wants('dispatchers') ? path : [],
      eventId,
      plan.kind,
      d.issueId,
      plan.title.slice(0, 300),
      plan.body.slice(0, 500),
      plan.urgent,
      at,
      plan.actorId,
      smsEligible(plan),
      true,
      wants('residents') ? d.issueId : null,
    ];
  }
}
