import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A subscription may name up to 64 event types (WEBHOOK_EVENTS_MAX): with the volunteer events
 * there are 33, and a receiver must be able to name each one instead of a wildcard.
 */
export class WebhookEventsLimit1765840000000 implements MigrationInterface {
  name = 'WebhookEventsLimit1765840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_events_check,
        ADD CONSTRAINT webhook_subscriptions_events_check CHECK (cardinality(events) BETWEEN 1 AND 64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_events_check,
        ADD CONSTRAINT webhook_subscriptions_events_check CHECK (cardinality(events) BETWEEN 1 AND 32)`);
  }
}
