import type { MigrationInterface, QueryRunner } from 'typeorm';

const CLOCK_CHANGED = (withDepartment: boolean) => `
  CREATE OR REPLACE FUNCTION stats_sla_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
      ${
        withDepartment
          ? `INSERT INTO stats_sla_outbox (grid_id, department_id, overdue, resolved, resolved_on_time)
      SELECT grid_id, coalesce(department_id, 0), d_overdue, d_resolved, d_on_time FROM issues WHERE id = issue;`
          : `INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
      SELECT grid_id, d_overdue, d_resolved, d_on_time FROM issues WHERE id = issue;`
      }
    END IF;
    RETURN NULL;
  END $$;`;

/**
 * The wall's department ranking shows 按期结案率 (SPEC §15): the SLA roll-up gets a department
 * dimension. A clock change now records the issue's department with its delta (the department
 * that resolved it: the overall clock stops at resolution), and `stats_sla_department` sums
 * resolved / resolved on time per region of every level × department, applied and rebuilt with
 * the other roll-ups (rollup-sql.ts, ADR 0008). Filled here from the clocks, in SQL of its own
 * (a migration does not import the application's statements, which move on).
 */
export class DepartmentOnTimeRollup1765300000001 implements MigrationInterface {
  name = 'DepartmentOnTimeRollup1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stats_sla_outbox ADD COLUMN department_id integer NOT NULL DEFAULT 0;
      CREATE TABLE stats_sla_department (
        region_id         integer NOT NULL,
        department_id     integer NOT NULL,
        resolved          bigint NOT NULL DEFAULT 0,
        resolved_on_time  bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (region_id, department_id)
      );
      ${CLOCK_CHANGED(true)}
    `);
    // What the clocks say today (deltas still in the outbox carry department 0, which no wall reads).
    await q.query(`
      INSERT INTO stats_sla_department (region_id, department_id, resolved, resolved_on_time)
      SELECT region_id, department_id, sum(resolved), sum(resolved_on_time) FROM (
        SELECT unnest(r.path) AS region_id, coalesce(i.department_id, 0) AS department_id, c.resolved, c.resolved_on_time
          FROM sla_clocks k JOIN issues i ON i.id = k.issue_id JOIN regions r ON r.id = i.grid_id
         CROSS JOIN LATERAL stats_sla_contribution(k.stage, k.stopped_at, false, k.used_ms, k.target_ms, k.extended_ms) c
         WHERE k.stage = 'overall' AND k.stopped_at IS NOT NULL) x
      GROUP BY 1, 2 HAVING sum(resolved) <> 0 OR sum(resolved_on_time) <> 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ${CLOCK_CHANGED(false)}
      DROP TABLE stats_sla_department;
      ALTER TABLE stats_sla_outbox DROP COLUMN department_id;
    `);
  }
}
