import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `event_archive` (delivered domain events, kept 30 days for the catch-up API) partitioned by
 * month on `archived_at`, like `issue_events`: retention becomes dropping whole months instead of
 * an hourly DELETE that leaves dead rows behind at a province's volume.
 *
 * - One function makes the monthly partitions of either table, `monthly_partitions_ensure(parent,
 *   from, to)` (partitions `<parent>_yYYYYmMM`, UTC months, never below a `<parent>_history`
 *   partition); `issue_events_ensure_partitions` now calls it. `monthly_partitions_drop_before(parent,
 *   before)` drops the months that ended before `before` (the archive's retention).
 * - Keys: a partitioned table's unique keys must hold the partition key, so the primary key is
 *   (position, archived_at) and `id` keeps a plain index (the relay moves each outbox row once:
 *   DELETE … RETURNING hands a row to one transaction only).
 * - `position` comes from a sequence default (identity columns on partitioned tables need
 *   PostgreSQL 17).
 */
export class EventArchivePartitioned1765700000000 implements MigrationInterface {
  name = 'EventArchivePartitioned1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION monthly_partitions_ensure(parent text, range_from timestamptz, range_to timestamptz) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE
        m timestamptz := date_trunc('month', range_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        made integer := 0;
        first_month timestamptz;
        part text;
      BEGIN
        SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz INTO first_month
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent::regclass AND c.relname = parent || '_history';
        IF first_month IS NOT NULL AND m < first_month THEN m := first_month; END IF;
        WHILE m < range_to LOOP
          part := parent || '_y' || to_char(m AT TIME ZONE 'UTC', 'YYYY"m"MM');
          IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           part, parent, m, (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC');
            made := made + 1;
          END IF;
          m := (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
        END LOOP;
        RETURN made;
      END $$;

      -- Drops the monthly partitions whose month ended before \`before\`; returns how many.
      CREATE FUNCTION monthly_partitions_drop_before(parent text, before timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        dropped integer := 0;
      BEGIN
        FOR r IN
          SELECT c.relname AS name,
                 (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper_bound
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = parent::regclass AND c.relname ~ ('^' || parent || '_y[0-9]{4}m[0-9]{2}$')
        LOOP
          IF r.upper_bound <= before THEN
            EXECUTE format('DROP TABLE %I', r.name);
            dropped := dropped + 1;
          END IF;
        END LOOP;
        RETURN dropped;
      END $$;

      CREATE OR REPLACE FUNCTION issue_events_ensure_partitions(range_from timestamptz, range_to timestamptz) RETURNS integer
      LANGUAGE sql AS $$ SELECT monthly_partitions_ensure('issue_events', range_from, range_to) $$;

      ALTER TABLE event_archive RENAME TO event_archive_flat;
      ALTER INDEX event_archive_pkey RENAME TO event_archive_flat_pkey;
      ALTER INDEX event_archive_id_key RENAME TO event_archive_flat_id_key;
      ALTER INDEX event_archive_archived_at_idx RENAME TO event_archive_flat_archived_at_idx;
      ALTER INDEX event_archive_department_idx RENAME TO event_archive_flat_department_idx;
      ALTER INDEX event_archive_district_idx RENAME TO event_archive_flat_district_idx;

      CREATE SEQUENCE event_archive_position_seq_p AS bigint;
      SELECT setval('event_archive_position_seq_p', coalesce((SELECT max(position) FROM event_archive_flat), 0) + 1, false);
      CREATE TABLE event_archive (
        position      bigint NOT NULL DEFAULT nextval('event_archive_position_seq_p'),
        id            bigint NOT NULL,
        type          text NOT NULL,
        occurred_at   timestamptz NOT NULL,
        data          jsonb NOT NULL,
        archived_at   timestamptz NOT NULL DEFAULT now(),
        issue_id      integer,
        status        text,
        grid_id       integer,
        community_id  integer,
        street_id     integer,
        district_id   integer,
        department_id integer,
        reporter_id   integer,
        assignee_id   integer,
        PRIMARY KEY (position, archived_at)
      ) PARTITION BY RANGE (archived_at);
      ALTER SEQUENCE event_archive_position_seq_p OWNED BY event_archive.position;
      CREATE INDEX event_archive_id_idx ON event_archive (id);
      CREATE INDEX event_archive_department_idx ON event_archive (department_id, position) WHERE department_id IS NOT NULL;
      CREATE INDEX event_archive_district_idx ON event_archive (district_id, position);

      SELECT monthly_partitions_ensure('event_archive', least(now(), coalesce((SELECT min(archived_at) FROM event_archive_flat), now())),
                                       now() + interval '12 months');
      INSERT INTO event_archive (position, id, type, occurred_at, data, archived_at, issue_id, status, grid_id, community_id, street_id,
                                 district_id, department_id, reporter_id, assignee_id)
      SELECT position, id, type, occurred_at, data, archived_at, issue_id, status, grid_id, community_id, street_id,
             district_id, department_id, reporter_id, assignee_id
        FROM event_archive_flat;
      DROP TABLE event_archive_flat;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_archive_flat (
        position      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id            bigint NOT NULL UNIQUE,
        type          text NOT NULL,
        occurred_at   timestamptz NOT NULL,
        data          jsonb NOT NULL,
        archived_at   timestamptz NOT NULL DEFAULT now(),
        issue_id      integer,
        status        text,
        grid_id       integer,
        community_id  integer,
        street_id     integer,
        district_id   integer,
        department_id integer,
        reporter_id   integer,
        assignee_id   integer
      );
      INSERT INTO event_archive_flat (position, id, type, occurred_at, data, archived_at, issue_id, status, grid_id, community_id, street_id,
                                      district_id, department_id, reporter_id, assignee_id)
        OVERRIDING SYSTEM VALUE
      SELECT position, id, type, occurred_at, data, archived_at, issue_id, status, grid_id, community_id, street_id,
             district_id, department_id, reporter_id, assignee_id
        FROM event_archive ORDER BY position;
      SELECT setval(pg_get_serial_sequence('event_archive_flat', 'position'), coalesce((SELECT max(position) FROM event_archive_flat), 0) + 1, false);
      DROP TABLE event_archive;
      ALTER TABLE event_archive_flat RENAME TO event_archive;
      ALTER INDEX event_archive_flat_pkey RENAME TO event_archive_pkey;
      ALTER INDEX event_archive_flat_id_key RENAME TO event_archive_id_key;
      CREATE INDEX event_archive_archived_at_idx ON event_archive (archived_at);
      CREATE INDEX event_archive_department_idx ON event_archive (department_id, position) WHERE department_id IS NOT NULL;
      CREATE INDEX event_archive_district_idx ON event_archive (district_id, position);

      CREATE OR REPLACE FUNCTION issue_events_ensure_partitions(range_from timestamptz, range_to timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
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
      DROP FUNCTION monthly_partitions_drop_before(text, timestamptz);
      DROP FUNCTION monthly_partitions_ensure(text, timestamptz, timestamptz);
    `);
  }
}
