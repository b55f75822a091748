import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable domain events. Producers insert into `event_outbox` in the transaction of the change;
 * the relay (one leader at a time: the `event_relay_state` row) hands committed rows to the
 * consumers and moves them to `event_archive`, which the catch-up API reads. `issues.event_seq`
 * numbers each issue's events (1 = its report), bumped in the transaction that writes one.
 */
export class EventOutbox1764200000000 implements MigrationInterface {
  name = 'EventOutbox1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE issues ADD COLUMN event_seq integer NOT NULL DEFAULT 1 CHECK (event_seq >= 1);

      CREATE TABLE event_outbox (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type         text NOT NULL CHECK (type ~ '^[a-z_]{1,32}\\.[a-z_]{1,32}$'),
        occurred_at  timestamptz NOT NULL,
        data         jsonb NOT NULL,
        -- the database's clock (occurred_at is the app's): how long a row has waited, for the relay lag
        created_at   timestamptz NOT NULL DEFAULT now()
      );

      -- The leader row: the relay instance that holds it (FOR UPDATE) delivers; the others wait their turn.
      CREATE TABLE event_relay_state (
        id            boolean PRIMARY KEY DEFAULT true CHECK (id),
        relayed_at    timestamptz,
        relayed_total bigint NOT NULL DEFAULT 0
      );
      INSERT INTO event_relay_state DEFAULT VALUES;

      -- Delivered events, in delivery order (position), with the issue's scope columns as of the event
      -- so the catch-up API applies the issue list's visibility rule to them.
      CREATE TABLE event_archive (
        position      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id            bigint NOT NULL UNIQUE,
        type          text NOT NULL,
        occurred_at   timestamptz NOT NULL,
        data          jsonb NOT NULL,
        archived_at   timestamptz NOT NULL DEFAULT now(),
        issue_id      integer,
        status        text,
        grid_id       integer,
        community_id  integer,
        street_id     integer,
        district_id   integer,
        department_id integer,
        reporter_id   integer,
        assignee_id   integer
      );
      CREATE INDEX event_archive_archived_at_idx ON event_archive (archived_at);
      CREATE INDEX event_archive_department_idx ON event_archive (department_id, position) WHERE department_id IS NOT NULL;
      CREATE INDEX event_archive_district_idx ON event_archive (district_id, position);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE event_archive;
      DROP TABLE event_relay_state;
      DROP TABLE event_outbox;
      ALTER TABLE issues DROP COLUMN event_seq;
    `);
  }
}
