import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The two trigger functions of `sla_open_breaches`, with the path column (up) or without it (down). */
const TRIGGER_FUNCTIONS = (withPath: boolean) => {
  const path = (expr: string) => (withPath ? `, ${expr}` : '');
  const gridOf = (issueId: string) => (withPath ? ` JOIN issues i ON i.id = ${issueId} JOIN regions g ON g.id = i.grid_id` : '');
  return `
      CREATE OR REPLACE FUNCTION sla_open_breaches_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at${path('path')})
        SELECT n.clock_id, c.issue_id, n.fired_at${path('g.path')}
          FROM new_rows n JOIN sla_clocks c ON c.id = n.clock_id${gridOf('c.issue_id')}
         WHERE n.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall'
        ON CONFLICT (clock_id) DO NOTHING;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION sla_open_breaches_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.stopped_at IS NOT NULL THEN
          DELETE FROM sla_open_breaches WHERE clock_id = OLD.id;
        ELSIF NEW.stage <> 'overall' THEN
          INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at${path('path')})
          SELECT f.clock_id, NEW.issue_id, f.fired_at${path('g.path')} FROM sla_firings f${gridOf('NEW.issue_id')}
           WHERE f.clock_id = NEW.id AND f.level = 'breach'
          ON CONFLICT (clock_id) DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;`;
};

/**
 * The wall's overdue list filtered the open breaches by region through a join: for each open
 * breach, newest first, its issue and that issue's grid, until the region had enough. A
 * community's list (most open breaches are elsewhere) walked all of them: 491 issue and region
 * lookups, 3 of the read's 4 ms with the live bench's seed, paid by every stats frame of every
 * watched room (up to 4 a second each). In the live bench that read cost PostgreSQL as much time
 * as the reports themselves.
 *
 * Each open breach now keeps its grid's path (the region ids from the root down to the grid), so
 * the list is read from `sla_open_breaches` alone, by the fired_at index, and only the rows it
 * shows are joined. An issue's grid is set at the report and a region's path when it is created;
 * neither changes afterwards, so the copy cannot go stale.
 */
export class OpenBreachesPath1765900000000 implements MigrationInterface {
  name = 'OpenBreachesPath1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sla_open_breaches ADD COLUMN path integer[];
      UPDATE sla_open_breaches b SET path = g.path FROM issues i JOIN regions g ON g.id = i.grid_id WHERE i.id = b.issue_id;
      ALTER TABLE sla_open_breaches ALTER COLUMN path SET NOT NULL;
      ${TRIGGER_FUNCTIONS(true)}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ${TRIGGER_FUNCTIONS(false)}
      ALTER TABLE sla_open_breaches DROP COLUMN path;
    `);
  }
}
