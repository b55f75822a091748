import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A breach's open-breach row (the wall's overdue list) and its +1 overdue for the roll-ups were
 * written by two statement triggers on `sla_firings`. Each joined the firings back to their clock,
 * issue and grid: the sweep had read those columns a moment before, in the same statement. The
 * writers of firings (the sweep, the demo seed) now add both themselves, from the rows they hold
 * (sla/open-breaches.sql.ts; the seed's roll-ups are rebuilt set-based after it). A 100,000-breach
 * catch-up ran about 10 % faster (two series of alternating rounds, `docs/throughput.md`).
 *
 * The trigger on `sla_clocks` that closes an open breach when its clock stops stays as it is.
 */
export class SweepWritesOpenBreaches1765940000000 implements MigrationInterface {
  name = 'SweepWritesOpenBreaches1765940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sla_firings_open_breaches ON sla_firings;
      DROP TRIGGER sla_firings_stats ON sla_firings;
      DROP FUNCTION sla_open_breaches_fired();
      DROP FUNCTION stats_sla_breach_fired();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sla_open_breaches_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at, path)
        SELECT n.clock_id, c.issue_id, n.fired_at, g.path
          FROM new_rows n JOIN sla_clocks c ON c.id = n.clock_id JOIN issues i ON i.id = c.issue_id JOIN regions g ON g.id = i.grid_id
         WHERE n.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall'
        ON CONFLICT (clock_id) DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_firings_open_breaches AFTER INSERT ON sla_firings
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sla_open_breaches_fired();

      CREATE FUNCTION stats_sla_breach_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
        SELECT i.grid_id, count(*)::int, 0, 0
          FROM new_rows n JOIN sla_clocks c ON c.id = n.clock_id JOIN issues i ON i.id = c.issue_id
         WHERE n.level = 'breach' AND c.stopped_at IS NULL AND c.stage <> 'overall'
         GROUP BY i.grid_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_firings_stats AFTER INSERT ON sla_firings
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_sla_breach_fired();
    `);
  }
}
