import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildRollupsSql } from '../../stats/rollup-sql';

/**
 * Counters for the wall, kept off the request path (see docs/adr/0008):
 * - a trigger on `issues` appends the old (−1) and new (+1) state of every changed row to the
 *   insert-only `stats_outbox` — no shared counter row is touched in the issue transaction;
 * - one applier at a time (the `stats_state` leader row) drains the outbox into roll-ups keyed
 *   by region, for every level of the grid's path, and bumps `stats_state.version`;
 * - snapshots read roll-ups only.
 * Also the table the socket.io PostgreSQL adapter stores large cross-instance packets in.
 */
export class StatsRollups1763900000000 implements MigrationInterface {
  name = 'StatsRollups1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_outbox (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sign           smallint NOT NULL CHECK (sign IN (-1, 1)),
        grid_id        integer NOT NULL,
        status         text NOT NULL,
        category_id    integer NOT NULL,
        department_id  integer,
        reported_at    timestamptz NOT NULL,
        accepted_at    timestamptz,
        dispatched_at  timestamptz,
        resolved_at    timestamptz,
        closed_at      timestamptz
      );

      -- Inserts: one statement-level trigger per INSERT statement (bulk seeds stay set-based).
      CREATE FUNCTION stats_outbox_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_outbox (sign, grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at)
        SELECT 1, grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at FROM new_rows;
        RETURN NULL;
      END $$;
      CREATE TRIGGER issues_stats_inserted AFTER INSERT ON issues
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_outbox_inserted();

      -- Updates of a counted column and deletes: the old state leaves (−1), the new one enters (+1).
      CREATE FUNCTION stats_outbox_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_outbox (sign, grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at)
        VALUES (-1, OLD.grid_id, OLD.status, OLD.category_id, OLD.department_id, OLD.reported_at, OLD.accepted_at, OLD.dispatched_at, OLD.resolved_at, OLD.closed_at);
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO stats_outbox (sign, grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at)
          VALUES (1, NEW.grid_id, NEW.status, NEW.category_id, NEW.department_id, NEW.reported_at, NEW.accepted_at, NEW.dispatched_at, NEW.resolved_at, NEW.closed_at);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER issues_stats_changed
        AFTER UPDATE OF grid_id, status, category_id, department_id, reported_at, accepted_at, dispatched_at, resolved_at, closed_at ON issues
        FOR EACH ROW
        WHEN ((OLD.grid_id, OLD.status, OLD.category_id, OLD.department_id, OLD.reported_at, OLD.accepted_at, OLD.dispatched_at, OLD.resolved_at, OLD.closed_at)
              IS DISTINCT FROM
              (NEW.grid_id, NEW.status, NEW.category_id, NEW.department_id, NEW.reported_at, NEW.accepted_at, NEW.dispatched_at, NEW.resolved_at, NEW.closed_at))
        EXECUTE FUNCTION stats_outbox_changed();
      CREATE TRIGGER issues_stats_deleted AFTER DELETE ON issues FOR EACH ROW EXECUTE FUNCTION stats_outbox_changed();

      -- Issues now in each status, by region (every level), top-level category and department (0 = none).
      CREATE TABLE stats_stock (
        region_id      integer NOT NULL,
        status         text NOT NULL,
        category_id    integer NOT NULL,
        department_id  integer NOT NULL,
        n              bigint NOT NULL,
        PRIMARY KEY (region_id, status, category_id, department_id)
      );

      -- Issues reported on a day (its start instant in the configured zone), by current status.
      CREATE TABLE stats_reported_day (
        region_id  integer NOT NULL,
        day        timestamptz NOT NULL,
        status     text NOT NULL,
        n          bigint NOT NULL,
        PRIMARY KEY (region_id, day, status)
      );

      -- Flows: issues whose milestone timestamp falls in the bucket. grain h = hour (kept for a
      -- few days), d = day in the configured zone, t = all time (bucket -infinity).
      CREATE TABLE stats_flows (
        region_id   integer NOT NULL,
        grain       text NOT NULL CHECK (grain IN ('h', 'd', 't')),
        bucket      timestamptz NOT NULL,
        reported    bigint NOT NULL DEFAULT 0,
        accepted    bigint NOT NULL DEFAULT 0,
        dispatched  bigint NOT NULL DEFAULT 0,
        resolved    bigint NOT NULL DEFAULT 0,
        closed      bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (region_id, grain, bucket)
      );

      -- The leader row: the applier holds it while it applies; version moves once per applied batch.
      CREATE TABLE stats_state (
        id          boolean PRIMARY KEY DEFAULT true CHECK (id),
        epoch       text NOT NULL,
        version     bigint NOT NULL,
        applied_at  timestamptz NOT NULL
      );
      INSERT INTO stats_state (epoch, version, applied_at) VALUES (md5(random()::text), 0, now());

      CREATE TABLE socket_io_attachments (
        id          bigserial UNIQUE,
        created_at  timestamptz DEFAULT now(),
        payload     bytea
      );
    `);
    // Roll-ups of the issues already there (none on a fresh database), and an empty outbox.
    for (const statement of rebuildRollupsSql()) await q.query(statement.sql, statement.params(new Date(), 'Asia/Shanghai'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE socket_io_attachments, stats_state, stats_flows, stats_reported_day, stats_stock;
      DROP TRIGGER issues_stats_deleted ON issues;
      DROP TRIGGER issues_stats_changed ON issues;
      DROP TRIGGER issues_stats_inserted ON issues;
      DROP FUNCTION stats_outbox_changed();
      DROP FUNCTION stats_outbox_inserted();
      DROP TABLE stats_outbox;
    `);
  }
}
