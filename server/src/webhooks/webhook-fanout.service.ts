import { Injectable } from '@nestjs/common';
import { DOMAIN_EVENT_TYPES, type DomainEventEnvelope } from '@gridline/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { ClockService } from '../common/clock.service';
import { OnDomainEventsOnce } from '../events/on-domain-event.decorator';
import { ENQUEUE_SQL } from './delivery.sql';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { gridOf, webhookBody, type WebhookSourceEvent } from './webhook-payload';

/**
 * Turns events into delivery rows: one per active subscription whose filter and region match,
 * idempotent on (subscription, event id). The relay runs it once per batch cluster-wide, in the
 * transaction that marks the events delivered, so the rows and that mark commit together.
 */
@Injectable()
export class WebhookFanout {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /** One statement for the relay's whole batch, however many events and subscriptions. */
  @OnDomainEventsOnce(...DOMAIN_EVENT_TYPES)
  async onEvents(events: DomainEventEnvelope[], tx: EntityManager): Promise<void> {
    await this.enqueue(events, tx);
  }

  /** Returns how many delivery rows the events made (0 for events seen before). Outside a transaction the senders are woken here too. */
  async enqueue(events: readonly WebhookSourceEvent[], tx?: EntityManager): Promise<number> {
    if (events.length === 0) return 0;
    const params = [
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(webhookBody(e))),
      events.map(gridOf),
      this.clock.now(),
    ];
    const [row] = (await (tx ?? this.db.manager).query(ENQUEUE_SQL, params)) as [{ inserted: number }];
    if (!tx && row.inserted > 0) this.deliveries.wake();
    return row.inserted;
  }
}
