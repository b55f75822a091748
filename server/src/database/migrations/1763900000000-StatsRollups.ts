import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildRollupsSql } from '../../stats/rollup-sql';

/**
 * Counters for the wall, kept off the request path (see docs/adr/0008):
 * - a trigger on `issues` appends the old (−1) and new (+1) state of every changed row to the
 *   insert-only `stats_outbox` — no shared counter row is touched in the issue transaction;
 * - one applier at a time (the `stats_state` leader row) drains the outbox into roll-ups keyed
 *   by region, for every level of the grid's path, and bumps `stats_state.version`;
 * - snapshots read roll-ups only.
 * The SLA numbers (overdue now, 按期结案率) follow the same path from `sla_clocks`.
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

      -- SLA numbers of the wall, from the SLA engine's clocks (migration 17638), the same way:
      -- how a clock counts, once, as a function; triggers append its changes to an outbox. A breach
      -- is a row in sla_firings (level 'breach'); the sweeper holds the issue (KEY SHARE) while it
      -- fires and a transition locks it FOR UPDATE before stopping clocks, so the two never interleave.
      CREATE FUNCTION stats_sla_contribution(stage text, stopped_at timestamptz, breached boolean,
                                             used_ms bigint, target_ms bigint, extended_ms bigint,
                                             OUT overdue int, OUT resolved int, OUT resolved_on_time int)
        LANGUAGE sql IMMUTABLE AS $$
        SELECT (stage <> 'overall' AND stopped_at IS NULL AND breached)::int,                 -- a stage overdue now
               (stage = 'overall' AND stopped_at IS NOT NULL)::int,                           -- resolved (overall clock stopped)
               (stage = 'overall' AND stopped_at IS NOT NULL AND used_ms <= target_ms + extended_ms)::int  -- … within its target
      $$;

      CREATE TABLE stats_sla_outbox (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        grid_id           integer NOT NULL,
        overdue           integer NOT NULL,
        resolved          integer NOT NULL,
        resolved_on_time  integer NOT NULL
      );

      CREATE FUNCTION stats_sla_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        c record;
        d_overdue int := 0;
        d_resolved int := 0;
        d_on_time int := 0;
        issue integer;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          SELECT * INTO c FROM stats_sla_contribution(OLD.stage, OLD.stopped_at,
            EXISTS (SELECT 1 FROM sla_firings f WHERE f.clock_id = OLD.id AND f.level = 'breach'), OLD.used_ms, OLD.target_ms, OLD.extended_ms);
          d_overdue := -c.overdue; d_resolved := -c.resolved; d_on_time := -c.resolved_on_time;
          issue := OLD.issue_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          SELECT * INTO c FROM stats_sla_contribution(NEW.stage, NEW.stopped_at,
            EXISTS (SELECT 1 FROM sla_firings f WHERE f.clock_id = NEW.id AND f.level = 'breach'), NEW.used_ms, NEW.target_ms, NEW.extended_ms);
          d_overdue := d_overdue + c.overdue; d_resolved := d_resolved + c.resolved; d_on_time := d_on_time + c.resolved_on_time;
          issue := NEW.issue_id;
        END IF;
        IF d_overdue <> 0 OR d_resolved <> 0 OR d_on_time <> 0 THEN
          INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
          SELECT grid_id, d_overdue, d_resolved, d_on_time FROM issues WHERE id = issue;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_clocks_stats AFTER INSERT OR DELETE OR UPDATE OF stage, stopped_at, used_ms, target_ms, extended_ms
        ON sla_clocks FOR EACH ROW EXECUTE FUNCTION stats_sla_clock_changed();

      -- A breach fired: an open stage clock becomes overdue.
      CREATE FUNCTION stats_sla_breach_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
        SELECT i.grid_id, 1, 0, 0 FROM sla_clocks c JOIN issues i ON i.id = c.issue_id
         WHERE c.id = NEW.clock_id AND c.stopped_at IS NULL AND c.stage <> 'overall';
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_firings_stats AFTER INSERT ON sla_firings FOR EACH ROW WHEN (NEW.level = 'breach')
        EXECUTE FUNCTION stats_sla_breach_fired();

      CREATE TABLE stats_sla (
        region_id         integer PRIMARY KEY,
        overdue           bigint NOT NULL DEFAULT 0,
        resolved          bigint NOT NULL DEFAULT 0,
        resolved_on_time  bigint NOT NULL DEFAULT 0
      );
      -- The wall's overdue list: the latest breaches first.
      CREATE INDEX sla_firings_breach_recent_idx ON sla_firings (fired_at DESC) WHERE level = 'breach';

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
      DROP TABLE socket_io_attachments, stats_state, stats_flows, stats_reported_day, stats_stock, stats_sla;
      DROP INDEX sla_firings_breach_recent_idx;
      DROP TRIGGER sla_firings_stats ON sla_firings;
      DROP FUNCTION stats_sla_breach_fired();
      DROP TRIGGER sla_clocks_stats ON sla_clocks;
      DROP FUNCTION stats_sla_clock_changed();
      DROP TABLE stats_sla_outbox;
      DROP FUNCTION stats_sla_contribution(text, timestamptz, boolean, bigint, bigint, bigint);
      DROP TRIGGER issues_stats_deleted ON issues;
      DROP TRIGGER issues_stats_changed ON issues;
      DROP TRIGGER issues_stats_inserted ON issues;
      DROP FUNCTION stats_outbox_changed();
      DROP FUNCTION stats_outbox_inserted();
      DROP TABLE stats_outbox;
    `);
  }
}
