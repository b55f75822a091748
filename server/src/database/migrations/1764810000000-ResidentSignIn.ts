import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Residents' phone sign-in: one live one-time code per phone (hashed, with its expiry and wrong
 * tries), and the counters of the rate limits (rate-limiter-flexible's PostgreSQL store, its own
 * table layout), shared by every instance. Both are keyed by a keyed digest of the phone number.
 */
export class ResidentSignIn1764810000000 implements MigrationInterface {
  name = 'ResidentSignIn1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resident_login_codes (
        -- a keyed digest of the phone, not the number: personal data stays in residents alone
        phone_key   text PRIMARY KEY CHECK (phone_key ~ '^[0-9a-f]{64}$'),
        code_hash   text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        expires_at  timestamptz NOT NULL,
        wrong_tries integer NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
        created_at  timestamptz NOT NULL
      );
      CREATE INDEX resident_login_codes_expiry_idx ON resident_login_codes (expires_at);

      CREATE TABLE rate_limits (
        key     varchar(255) PRIMARY KEY,
        points  integer NOT NULL DEFAULT 0,
        expire  bigint
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rate_limits;
      DROP TABLE resident_login_codes;
    `);
  }
}
