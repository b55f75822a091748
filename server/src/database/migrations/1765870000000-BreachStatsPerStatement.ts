import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A breach's +1 overdue for the wall's roll-ups is written once per inserting statement, summed
 * per grid, instead of once per firing row. The sweep fires up to 2,000 breaches a statement: the
 * row trigger ran 2,000 times (21 ms of a 296 ms batch in `npm run bench:sla`) and left 2,000
 * outbox rows for the applier; now one insert of at most one row per grid. Same rule: a breach of
 * an open stage clock counts; the applier sums the rows as before.
 */
export class BreachStatsPerStatement1765870000000 implements MigrationInterface {
  name = 'BreachStatsPerStatement1765870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sla_firings_stats ON sla_firings;
      CREATE OR REPLACE FUNCTION stats_sla_breach_fired() RETURNS trigger LANGUAGE plpgsql AS $$
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sla_firings_stats ON sla_firings;
      CREATE OR REPLACE FUNCTION stats_sla_breach_fired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_sla_outbox (grid_id, overdue, resolved, resolved_on_time)
        SELECT i.grid_id, 1, 0, 0 FROM sla_clocks c JOIN issues i ON i.id = c.issue_id
         WHERE c.id = NEW.clock_id AND c.stopped_at IS NULL AND c.stage <> 'overall';
        RETURN NULL;
      END $$;
      CREATE TRIGGER sla_firings_stats AFTER INSERT ON sla_firings FOR EACH ROW WHEN (NEW.level = 'breach')
        EXECUTE FUNCTION stats_sla_breach_fired();
    `);
  }
}
