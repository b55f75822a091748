import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wall's overdue list (the open stage clocks with a breach, latest breach first) read every
 * breach ever fired, newest first, until it had found enough of the region's open ones: most
 * breaches belong to clocks long stopped, so a community's list walked nearly all of them, and
 * the cost grew with the district's history (about 7 ms at the demo's 2,667 breaches; every
 * stats frame of every watched room pays it, up to 4 a second).
 *
 * `sla_open_breaches` holds the breaches of clocks still open — the overdue now, a few hundred
 * rows whatever the history — kept by triggers, so every writer of firings and clocks (the sweep,
 * transitions, the demo seed) keeps it without knowing:
 * - a breach firing of an open stage clock adds its row (one statement per inserting statement);
 * - a clock that stops (or is deleted) takes its row away; one that reopens gets it back.
 * A firing still never updates the clock row.
 *
 * The old `sla_firings_breach_recent_idx` served only that list: dropped, one index write less
 * per breach.
 */
export class OpenBreaches1765860000000 implements MigrationInterface {
  name = 'OpenBreaches1765860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_open_breaches (
        clock_id  bigint PRIMARY KEY,
        issue_id  integer NOT NULL,
        fired_at  timestamptz NOT NULL
      );
      CREATE INDEX sla_open_breaches_recent_idx ON sla_open_breaches (fired_at DESC);

      INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at)
      SELECT f.clock_id, c.issue_id, f.fired_at
        FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id
       WHERE f.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall';

      CREATE FUNCTION sla_open_breaches_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at)
        SELECT n.clock_id, c.issue_id, n.fired_at
          FROM new_rows n JOIN sla_clocks c ON c.id = n.clock_id
         WHERE n.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall'
        ON CONFLICT (clock_id) DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_firings_open_breaches AFTER INSERT ON sla_firings
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sla_open_breaches_fired();

      CREATE FUNCTION sla_open_breaches_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.stopped_at IS NOT NULL THEN
          DELETE FROM sla_open_breaches WHERE clock_id = OLD.id;
        ELSIF NEW.stage <> 'overall' THEN
          INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at)
          SELECT f.clock_id, NEW.issue_id, f.fired_at FROM sla_firings f WHERE f.clock_id = NEW.id AND f.level = 'breach'
          ON CONFLICT (clock_id) DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_clocks_open_breaches AFTER UPDATE OF stopped_at ON sla_clocks FOR EACH ROW
        WHEN (OLD.stopped_at IS DISTINCT FROM NEW.stopped_at) EXECUTE FUNCTION sla_open_breaches_clock_changed();
      CREATE TRIGGER sla_clocks_open_breaches_deleted AFTER DELETE ON sla_clocks FOR EACH ROW
        EXECUTE FUNCTION sla_open_breaches_clock_changed();

      DROP INDEX sla_firings_breach_recent_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX sla_firings_breach_recent_idx ON sla_firings (fired_at DESC) WHERE level = 'breach';
      DROP TRIGGER sla_clocks_open_breaches_deleted ON sla_clocks;
      DROP TRIGGER sla_clocks_open_breaches ON sla_clocks;
      DROP TRIGGER sla_firings_open_breaches ON sla_firings;
      DROP FUNCTION sla_open_breaches_clock_changed();
      DROP FUNCTION sla_open_breaches_fired();
      DROP TABLE sla_open_breaches;
    `);
  }
}
