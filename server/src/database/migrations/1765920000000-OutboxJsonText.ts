import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and the archive keep each event's data as `json` (its text) instead of `jsonb`.
 *
 * Nothing queries inside an event's data: the relay reads it whole and hands it to Node, which
 * parses it; the archive's scope columns are taken from it once, when it is archived; the catch-up
 * API returns it whole. `jsonb` made PostgreSQL build a binary form on every insert and print it
 * back on every read, work nobody used. On the SLA sweep's 4,000 payloads a batch (PostgreSQL 18,
 * this machine): building and inserting them 32 ms as jsonb, 20 ms as json; reading them back
 * 13 ms and 4 ms. See docs/adr/0059.
 *
 * Both casts between json and jsonb are assignment casts: a writer that still builds jsonb (a rare
 * producer) is stored as its text.
 */
export class OutboxJsonText1765920000000 implements MigrationInterface {
  name = 'OutboxJsonText1765920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE event_outbox ALTER COLUMN data TYPE json USING data::json;
      ALTER TABLE event_archive ALTER COLUMN data TYPE json USING data::json;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE event_outbox ALTER COLUMN data TYPE jsonb USING data::jsonb;
      ALTER TABLE event_archive ALTER COLUMN data TYPE jsonb USING data::jsonb;
    `);
  }
}
