import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two row triggers that only queue the inserted rows become statement-level triggers over the
 * inserted rows (a transition table), as the roll-up triggers on `issues` and `sla_firings` are:
 * - `issue_events_queue_seal`: every audit event is queued for the chain sealer (its id and time);
 * - `supervisions_kpi` on INSERT: a new 督办 queues its issue for the KPI roll-up. UPDATE of
 *   issue_id and DELETE keep the row trigger (rare, one row at a time).
 * The SLA sweep inserts up to 2,000 of each per statement: each trigger ran 2,000 times (about
 * 12 ms each of a 2,000-clock batch in `npm run bench:sla`). A one-row insert (a report, a
 * transition) still runs each trigger once. Same rows queued, same rule.
 */
export class InsertTriggersPerStatement1765890000000 implements MigrationInterface {
  name = 'InsertTriggersPerStatement1765890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER issue_events_queue_seal ON issue_events;
      CREATE OR REPLACE FUNCTION issue_events_queue_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO issue_events_seal_queue (event_id, event_at) SELECT id, at FROM new_rows;
        RETURN NULL;
      END $$;
      CREATE TRIGGER issue_events_queue_seal AFTER INSERT ON issue_events
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_events_queue_seal();

      DROP TRIGGER supervisions_kpi ON supervisions;
      CREATE FUNCTION stats_kpi_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO stats_kpi_outbox (issue_id) SELECT DISTINCT issue_id FROM new_rows;
        RETURN NULL;
      END $$;
      CREATE TRIGGER supervisions_kpi_inserted AFTER INSERT ON supervisions
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_kpi_rows_inserted();
      CREATE TRIGGER supervisions_kpi AFTER UPDATE OF issue_id OR DELETE ON supervisions
        FOR EACH ROW EXECUTE FUNCTION stats_kpi_row_touched();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER supervisions_kpi ON supervisions;
      DROP TRIGGER supervisions_kpi_inserted ON supervisions;
      DROP FUNCTION stats_kpi_rows_inserted();
      CREATE TRIGGER supervisions_kpi AFTER INSERT OR UPDATE OF issue_id OR DELETE ON supervisions
        FOR EACH ROW EXECUTE FUNCTION stats_kpi_row_touched();

      DROP TRIGGER issue_events_queue_seal ON issue_events;
      CREATE OR REPLACE FUNCTION issue_events_queue_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO issue_events_seal_queue (event_id, event_at) VALUES (NEW.id, NEW.at);
        RETURN NULL;
      END $$;
      CREATE TRIGGER issue_events_queue_seal AFTER INSERT ON issue_events
        FOR EACH ROW EXECUTE FUNCTION issue_events_queue_seal();
    `);
  }
}
