import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions and login abuse (等保 level 3):
 * - `users.token_version`: bumped when a user is deactivated, changes role or scope, or gets a
 *   new password; a token carries the version it was issued under and stops working when it differs.
 * - `user_sessions`: one row per login; `last_seen_at` is written coarsely (about once a minute)
 *   for idle expiry across instances; `ended_at` closes it.
 * - `login_throttle`: failed logins per (lower-cased username, source IP), whether the username
 *   exists or not, with a progressive lock; replaces the per-account counters on `users`.
 * - `login_audit`: every login attempt (success, failure, locked), with IP and user agent.
 */
export class Sessions1765000000000 implements MigrationInterface {
  name = 'Sessions1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0 CHECK (token_version >= 0);
      ALTER TABLE users DROP COLUMN failed_logins;
      ALTER TABLE users DROP COLUMN locked_until;

      CREATE TABLE user_sessions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       integer NOT NULL REFERENCES users(id),
        created_at    timestamptz NOT NULL,
        last_seen_at  timestamptz NOT NULL,
        ended_at      timestamptz,
        ip            text CHECK (length(ip) <= 64),
        user_agent    text CHECK (length(user_agent) <= 512)
      );
      CREATE INDEX user_sessions_user_idx ON user_sessions (user_id) WHERE ended_at IS NULL;

      CREATE TABLE login_throttle (
        username_key  text NOT NULL CHECK (length(username_key) BETWEEN 1 AND 64),
        ip            text NOT NULL CHECK (length(ip) BETWEEN 1 AND 64),
        failures      integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        locks         integer NOT NULL DEFAULT 0 CHECK (locks >= 0),
        locked_until  timestamptz,
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (username_key, ip)
      );

      CREATE TABLE login_audit (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL,
        username    text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
        user_id     integer REFERENCES users(id),
        outcome     text NOT NULL CHECK (outcome IN ('success', 'failure', 'locked', 'lockout')),
        ip          text CHECK (length(ip) <= 64),
        user_agent  text CHECK (length(user_agent) <= 512)
      );
      CREATE INDEX login_audit_user_idx ON login_audit (user_id, id DESC);
      CREATE INDEX login_audit_username_idx ON login_audit (lower(username), id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE login_audit;
      DROP TABLE login_throttle;
      DROP TABLE user_sessions;
      ALTER TABLE users ADD COLUMN locked_until timestamptz;
      ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
      ALTER TABLE users DROP COLUMN token_version;
    `);
  }
}
