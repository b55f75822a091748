import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (ADR 0038): a per-user inbox filled by a consumer of the event relay, Web Push
 * subscriptions per user and device, per-user channel preferences, and one delivery row per
 * push or SMS to send (claimed by a worker, retried, their outcome the dispatcher's receipts).
 *
 * - `notifications`: one row per (user, event): the unique index is the de-duplication of a
 *   relay that delivers a batch twice. `delivered_at` is the first time the user's device had it
 *   (listed, or accepted by a push service or the SMS gateway), `read_at` when they read it.
 * - `push_subscriptions`: the browser's endpoint and keys (RFC 8291 p256dh, auth), unique by
 *   endpoint; a 404/410 from the push service deletes the row.
 * - `notification_preferences`: per kind, which channels besides the inbox; the SMS number.
 * - `notification_deliveries`: push/SMS attempts to make, with a lease for the sender.
 */
export class Notifications1765400000000 implements MigrationInterface {
  name = 'Notifications1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id            bigserial PRIMARY KEY,
        user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        event_id      bigint NOT NULL,
        kind          text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
        issue_id      integer REFERENCES issues(id) ON DELETE CASCADE,
        title         text NOT NULL CHECK (length(title) <= 300),
        body          text NOT NULL CHECK (length(body) <= 500),
        urgent        boolean NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL,
        delivered_at  timestamptz,
        read_at       timestamptz
      );
      CREATE UNIQUE INDEX notifications_user_event_key ON notifications (user_id, event_id);
      CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
      CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
      CREATE INDEX notifications_issue_idx ON notifications (issue_id);
      CREATE INDEX notifications_event_idx ON notifications (event_id);

      CREATE TABLE push_subscriptions (
        id            serial PRIMARY KEY,
        user_id       integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        endpoint      text NOT NULL UNIQUE CHECK (length(endpoint) BETWEEN 10 AND 2000),
        p256dh        text NOT NULL CHECK (p256dh ~ '^[A-Za-z0-9_-]{80,100}$'),
        auth          text NOT NULL CHECK (auth ~ '^[A-Za-z0-9_-]{16,32}$'),
        user_agent    text CHECK (length(user_agent) <= 512),
        created_at    timestamptz NOT NULL,
        last_success_at timestamptz
      );
      CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);

      CREATE TABLE notification_preferences (
        user_id       integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        channels      jsonb NOT NULL DEFAULT '{}',
        sms_phone     text CHECK (sms_phone ~ '^1[3-9][0-9]{9}$'),
        updated_at    timestamptz NOT NULL
      );

      CREATE TABLE notification_deliveries (
        id              bigserial PRIMARY KEY,
        notification_id bigint NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        channel         text NOT NULL CHECK (channel IN ('push', 'sms')),
        subscription_id integer REFERENCES push_subscriptions(id) ON DELETE SET NULL,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dead', 'gone', 'dropped')),
        attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz,
        lease_until     timestamptz,
        last_error      text CHECK (length(last_error) <= 500),
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX notification_deliveries_push_key ON notification_deliveries (notification_id, subscription_id) WHERE channel = 'push';
      CREATE UNIQUE INDEX notification_deliveries_sms_key ON notification_deliveries (notification_id) WHERE channel = 'sms';
      CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notification_deliveries;
      DROP TABLE notification_preferences;
      DROP TABLE push_subscriptions;
      DROP TABLE notifications;
    `);
  }
}
