import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: subscriptions, one delivery row per (subscription, event) and the log of
 * every attempt. Deliveries are swept like SLA timers: the partial index holds only the rows
 * still to be tried, by subscription and due time, so a claim reads the due rows of each
 * subscription and nothing else.
 */
export class Webhooks1764300000000 implements MigrationInterface {
  name = 'Webhooks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id                          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name                        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        url                         text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
        events                      text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 32),
        region_id                   integer REFERENCES regions(id),
        active                      boolean NOT NULL DEFAULT true,
        disabled_reason             text,
        secret                      text NOT NULL CHECK (secret LIKE 'whsec_%'),
        previous_secret             text CHECK (previous_secret LIKE 'whsec_%'),
        previous_secret_expires_at  timestamptz,
        -- the receiver asked to slow down (429/502/504): nothing of it is sent before this
        throttled_until             timestamptz,
        created_at                  timestamptz NOT NULL,
        updated_at                  timestamptz NOT NULL,
        CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
      );

      CREATE TABLE webhook_deliveries (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id  integer NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        event_id         text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
        event_type       text NOT NULL,
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed', 'succeeded', 'dead')),
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  timestamptz,
        last_status_code integer,
        last_error       text,
        last_attempt_at  timestamptz,
        created_at       timestamptz NOT NULL,
        -- a redelivered event never makes a second delivery
        UNIQUE (subscription_id, event_id),
        CHECK ((status IN ('pending', 'failed')) = (next_attempt_at IS NOT NULL))
      );
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (subscription_id, next_attempt_at)
        WHERE status IN ('pending', 'failed');
      CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (subscription_id, id DESC);

      CREATE TABLE webhook_attempts (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id  bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        at           timestamptz NOT NULL,
        status_code  integer,
        duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
        error        text
      );
      CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE webhook_attempts;
      DROP TABLE webhook_deliveries;
      DROP TABLE webhook_subscriptions;
    `);
  }
}
