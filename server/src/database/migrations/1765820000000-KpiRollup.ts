import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KPI roll-up (docs/adr/0046): per-issue facts and their day × district × street ×
 * department sums, kept by the StatsApplier like the wall's roll-ups. Every write
 * that can change an issue's KPI figures appends the id to the insert-only
 * `stats_kpi_outbox` in its own transaction; the applier recomputes those issues.
 * Existing issues are queued here and counted by the applier (no application code in the
 * migration, no time zone).
 */
export class KpiRollup1765820000000 implements MigrationInterface {
  name = 'KpiRollup1765820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_kpi_outbox (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        issue_id  integer NOT NULL
      );

      -- One row per issue and department it counts for (0 = none); see kpi-rollup-sql.ts.
      CREATE TABLE stats_kpi_issue (
        issue_id       integer NOT NULL,
        department_id  integer NOT NULL,
        reported_at    timestamptz NOT NULL,
        district_id    integer NOT NULL,
        street_id      integer NOT NULL,
        community_id   integer NOT NULL,
        grid_id        integer NOT NULL,
        received       integer NOT NULL CHECK (received IN (0, 1)),
        closed         integer NOT NULL CHECK (closed IN (0, 1)),
        on_time        integer NOT NULL CHECK (on_time IN (0, 1)),
        resolved       integer NOT NULL CHECK (resolved IN (0, 1)),
        reopened       integer NOT NULL CHECK (reopened IN (0, 1)),
        evaluations    integer NOT NULL CHECK (evaluations >= 0),
        satisfied      integer NOT NULL CHECK (satisfied BETWEEN 0 AND evaluations),
        supervisions   integer NOT NULL CHECK (supervisions >= 0),
        dispatches     integer NOT NULL CHECK (dispatches >= 0),
        returns        integer NOT NULL CHECK (returns >= 0),
        handling_ms    double precision,
        PRIMARY KEY (issue_id, department_id)
      );
      -- The edges of a period that does not start or end at midnight, and the p90 of handling time.
      CREATE INDEX stats_kpi_issue_reported_idx ON stats_kpi_issue (reported_at)
        INCLUDE (district_id, street_id, community_id, department_id, handling_ms);
      -- A community or a grid reads its facts (the day roll-up stops at streets).
      CREATE INDEX stats_kpi_issue_community_idx ON stats_kpi_issue (community_id, reported_at);
      CREATE INDEX stats_kpi_issue_grid_idx ON stats_kpi_issue (grid_id, reported_at);
      -- "Overdue now" by department, street or month: an index-only scan of the overdue issues.
      CREATE INDEX issues_kpi_overdue_idx ON issues (sla_due_at)
        INCLUDE (district_id, street_id, community_id, grid_id, department_id, reported_at) WHERE sla_due_at IS NOT NULL;

      -- Sums of the facts per day of report (its first instant in the configured zone), street and department.
      CREATE TABLE stats_kpi_day (
        day            timestamptz NOT NULL,
        district_id    integer NOT NULL,
        street_id      integer NOT NULL,
        department_id  integer NOT NULL,
        received       integer NOT NULL,
        closed         integer NOT NULL,
        on_time        integer NOT NULL,
        resolved       integer NOT NULL,
        reopened       integer NOT NULL,
        evaluations    integer NOT NULL,
        satisfied      integer NOT NULL,
        supervisions   integer NOT NULL,
        dispatches     integer NOT NULL,
        returns        integer NOT NULL,
        handled        integer NOT NULL,
        handling_ms    numeric NOT NULL, -- exact sums of the facts' handling times
        PRIMARY KEY (day, district_id, street_id, department_id)
      );

      CREATE FUNCTION stats_kpi_issue_touched() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN INSERT INTO stats_kpi_outbox (issue_id) VALUES (OLD.id); END IF;
        IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN INSERT INTO stats_kpi_outbox (issue_id) VALUES (NEW.id); END IF;
        RETURN NULL;
      END $$;
      CREATE FUNCTION stats_kpi_issues_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_kpi_outbox (issue_id) SELECT id FROM new_rows;
        RETURN NULL;
      END $$;
      CREATE TRIGGER issues_kpi_inserted AFTER INSERT ON issues
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_kpi_issues_inserted();
      CREATE TRIGGER issues_kpi_changed
        AFTER UPDATE OF status, department_id, reported_at, grid_id, community_id, street_id, district_id ON issues
        FOR EACH ROW
        WHEN ((OLD.status, OLD.department_id, OLD.reported_at, OLD.grid_id) IS DISTINCT FROM (NEW.status, NEW.department_id, NEW.reported_at, NEW.grid_id)
              OR (OLD.community_id, OLD.street_id, OLD.district_id) IS DISTINCT FROM (NEW.community_id, NEW.street_id, NEW.district_id))
        EXECUTE FUNCTION stats_kpi_issue_touched();
      CREATE TRIGGER issues_kpi_deleted AFTER DELETE ON issues FOR EACH ROW EXECUTE FUNCTION stats_kpi_issue_touched();

      -- Rows of the other tables name their issue in issue_id.
      CREATE FUNCTION stats_kpi_row_touched() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN INSERT INTO stats_kpi_outbox (issue_id) VALUES (OLD.issue_id); END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.issue_id <> OLD.issue_id) THEN
          INSERT INTO stats_kpi_outbox (issue_id) VALUES (NEW.issue_id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_clocks_kpi_inserted AFTER INSERT ON sla_clocks FOR EACH ROW
        WHEN (NEW.stage = 'overall') EXECUTE FUNCTION stats_kpi_row_touched();
      CREATE TRIGGER sla_clocks_kpi_changed AFTER UPDATE OF issue_id, stage, started_at, stopped_at, paused_ms, used_ms, target_ms, extended_ms
        ON sla_clocks FOR EACH ROW
        WHEN ((OLD.stage = 'overall' OR NEW.stage = 'overall') AND
              (OLD.issue_id, OLD.stage, OLD.started_at, OLD.stopped_at, OLD.paused_ms, OLD.used_ms, OLD.target_ms, OLD.extended_ms) IS DISTINCT FROM
              (NEW.issue_id, NEW.stage, NEW.started_at, NEW.stopped_at, NEW.paused_ms, NEW.used_ms, NEW.target_ms, NEW.extended_ms))
        EXECUTE FUNCTION stats_kpi_row_touched();
      CREATE TRIGGER sla_clocks_kpi_deleted AFTER DELETE ON sla_clocks FOR EACH ROW
        WHEN (OLD.stage = 'overall') EXECUTE FUNCTION stats_kpi_row_touched();
      CREATE TRIGGER issue_events_kpi AFTER INSERT ON issue_events FOR EACH ROW
        WHEN (NEW.type IN ('dispatch', 'return', 'reopen')) EXECUTE FUNCTION stats_kpi_row_touched();
      CREATE TRIGGER evaluations_kpi AFTER INSERT OR UPDATE OF issue_id, score OR DELETE ON evaluations
        FOR EACH ROW EXECUTE FUNCTION stats_kpi_row_touched();
      CREATE TRIGGER supervisions_kpi AFTER INSERT OR UPDATE OF issue_id OR DELETE ON supervisions
        FOR EACH ROW EXECUTE FUNCTION stats_kpi_row_touched();

      INSERT INTO stats_kpi_outbox (issue_id) SELECT id FROM issues ORDER BY id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER supervisions_kpi ON supervisions;
      DROP TRIGGER evaluations_kpi ON evaluations;
      DROP TRIGGER issue_events_kpi ON issue_events;
      DROP TRIGGER sla_clocks_kpi_deleted ON sla_clocks;
      DROP TRIGGER sla_clocks_kpi_changed ON sla_clocks;
      DROP TRIGGER sla_clocks_kpi_inserted ON sla_clocks;
      DROP TRIGGER issues_kpi_deleted ON issues;
      DROP TRIGGER issues_kpi_changed ON issues;
      DROP TRIGGER issues_kpi_inserted ON issues;
      DROP FUNCTION stats_kpi_row_touched();
      DROP FUNCTION stats_kpi_issues_inserted();
      DROP FUNCTION stats_kpi_issue_touched();
      DROP INDEX issues_kpi_overdue_idx;
      DROP TABLE stats_kpi_day, stats_kpi_issue, stats_kpi_outbox;
    `);
  }
}
