import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail `issue_events`, partitioned by month on `at`, so five years of events stay
 * manageable: old months are detached (then archived or dropped) without a DELETE, recent months
 * stay small and hot.
 *
 * - Primary key (id, at): a partitioned table's unique keys must hold the partition key. `id`
 *   still comes from one sequence, so it stays unique on its own.
 * - attachments.event_id cannot reference (id) alone any more: the foreign key becomes a
 *   constraint trigger that checks the event exists when an attachment names one (events are
 *   never deleted; a detached month takes its attachments' events with it into the archive).
 * - `issue_events_history` holds everything before the first monthly partition (so imports and
 *   backfills of old history still have a home); monthly partitions `issue_events_yYYYYmMM` follow.
 *   `issue_events_ensure_partitions(from, to)` creates the missing months of a range; the app
 *   calls it at boot and daily for the next 12 months (PartitionMaintenance).
 * - The append-only triggers are on the partitioned table, so every partition has them.
 *
 * The rows are copied in this migration: right for the sizes it meets here (the history of a
 * district's first months). A database that already holds hundreds of millions of events would
 * instead attach the old table as the history partition (docs/scale.md).
 */
export class IssueEventsPartitioned1764400000000 implements MigrationInterface {
  name = 'IssueEventsPartitioned1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments DROP CONSTRAINT attachments_event_id_fkey;
      ALTER TABLE issue_events RENAME TO issue_events_unpartitioned;
      ALTER INDEX issue_events_pkey RENAME TO issue_events_unpartitioned_pkey;
      ALTER INDEX issue_events_issue_idx RENAME TO issue_events_unpartitioned_issue_idx;
      DROP TRIGGER issue_events_no_update ON issue_events_unpartitioned;
      DROP TRIGGER issue_events_no_truncate ON issue_events_unpartitioned;

      CREATE SEQUENCE issue_events_id_seq_p AS bigint;
      SELECT setval('issue_events_id_seq_p', coalesce((SELECT max(id) FROM issue_events_unpartitioned), 0) + 1, false);

      CREATE TABLE issue_events (
        id           bigint NOT NULL DEFAULT nextval('issue_events_id_seq_p'),
        issue_id     integer NOT NULL REFERENCES issues(id),
        type         text NOT NULL,
        from_status  text,
        to_status    text,
        actor_id     integer REFERENCES users(id),
        note         text,
        data         jsonb NOT NULL DEFAULT '{}',
        at           timestamptz NOT NULL,
        PRIMARY KEY (id, at)
      ) PARTITION BY RANGE (at);
      ALTER SEQUENCE issue_events_id_seq_p OWNED BY issue_events.id;
      CREATE INDEX issue_events_issue_idx ON issue_events (issue_id, id);

      CREATE FUNCTION issue_events_partition_name(month_start timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT 'issue_events_y' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY"m"MM')
      $$;

      -- Creates the monthly partitions (UTC months) that a range needs and that do not exist yet; returns how many it made.
      CREATE FUNCTION issue_events_ensure_partitions(range_from timestamptz, range_to timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        m timestamptz := date_trunc('month', range_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        made integer := 0;
        first_month timestamptz;
      BEGIN
        SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz INTO first_month
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'issue_events'::regclass AND c.relname = 'issue_events_history';
        IF first_month IS NOT NULL AND m < first_month THEN m := first_month; END IF;
        WHILE m < range_to LOOP
          IF to_regclass(issue_events_partition_name(m)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF issue_events FOR VALUES FROM (%L) TO (%L)',
                           issue_events_partition_name(m), m, (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC');
            made := made + 1;
          END IF;
          m := (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
        END LOOP;
        RETURN made;
      END $$;
    `);
    // Everything before the first monthly partition: two months back from the earlier of now and the oldest event.
    await q.query(`
      DO $$
      DECLARE
        first_month timestamptz := date_trunc('month', (least(now(), coalesce((SELECT min(at) FROM issue_events_unpartitioned), now())) - interval '2 months') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
      BEGIN
        EXECUTE format('CREATE TABLE issue_events_history PARTITION OF issue_events FOR VALUES FROM (MINVALUE) TO (%L)', first_month);
        PERFORM issue_events_ensure_partitions(first_month, greatest(now(), coalesce((SELECT max(at) FROM issue_events_unpartitioned), now())) + interval '12 months');
      END $$;
    `);
    await q.query(`
      INSERT INTO issue_events (id, issue_id, type, from_status, to_status, actor_id, note, data, at)
      SELECT id, issue_id, type, from_status, to_status, actor_id, note, data, at FROM issue_events_unpartitioned;
      DROP TABLE issue_events_unpartitioned;

      CREATE TRIGGER issue_events_no_update BEFORE UPDATE OR DELETE ON issue_events
        FOR EACH ROW EXECUTE FUNCTION issue_events_append_only();
      CREATE TRIGGER issue_events_no_truncate BEFORE TRUNCATE ON issue_events
        FOR EACH STATEMENT EXECUTE FUNCTION issue_events_append_only();

      -- What the foreign key did on the attachments' side.
      CREATE FUNCTION attachments_event_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM issue_events WHERE id = NEW.event_id) THEN
          RAISE EXCEPTION 'attachments.event_id % names no issue event', NEW.event_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER attachments_event_fk AFTER INSERT OR UPDATE OF event_id ON attachments
        FOR EACH ROW EXECUTE FUNCTION attachments_event_exists();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER attachments_event_fk ON attachments;
      DROP FUNCTION attachments_event_exists();
      CREATE TABLE issue_events_flat (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        issue_id     integer NOT NULL REFERENCES issues(id),
        type         text NOT NULL,
        from_status  text,
        to_status    text,
        actor_id     integer REFERENCES users(id),
        note         text,
        data         jsonb NOT NULL DEFAULT '{}',
        at           timestamptz NOT NULL
      );
      INSERT INTO issue_events_flat (id, issue_id, type, from_status, to_status, actor_id, note, data, at)
        OVERRIDING SYSTEM VALUE SELECT id, issue_id, type, from_status, to_status, actor_id, note, data, at FROM issue_events;
      SELECT setval(pg_get_serial_sequence('issue_events_flat', 'id'), coalesce((SELECT max(id) FROM issue_events_flat), 0) + 1, false);
      DROP TABLE issue_events;
      DROP FUNCTION issue_events_ensure_partitions(timestamptz, timestamptz);
      DROP FUNCTION issue_events_partition_name(timestamptz);
      ALTER TABLE issue_events_flat RENAME TO issue_events;
      ALTER INDEX issue_events_flat_pkey RENAME TO issue_events_pkey;
      CREATE INDEX issue_events_issue_idx ON issue_events (issue_id, id);
      CREATE TRIGGER issue_events_no_update BEFORE UPDATE OR DELETE ON issue_events
        FOR EACH ROW EXECUTE FUNCTION issue_events_append_only();
      CREATE TRIGGER issue_events_no_truncate BEFORE TRUNCATE ON issue_events
        FOR EACH STATEMENT EXECUTE FUNCTION issue_events_append_only();
      ALTER TABLE attachments ADD CONSTRAINT attachments_event_id_fkey FOREIGN KEY (event_id) REFERENCES issue_events(id);
    `);
  }
}
