import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper evidence: `issue_events` and `admin_audit` carry a hash chain. Each row's `hash` is
 * sha256(previous row's hash || the row's content), the content being the row as JSON without
 * `hash` and without null fields (so adding a nullable column later keeps old links valid),
 * with timestamps rendered in UTC.
 *
 * Computed in the database by a BEFORE INSERT trigger that takes a per-table advisory
 * transaction lock, then gives the row its id (so chain order is id order even when transactions
 * interleave) and links it to the row with the highest id. The lock is held until commit:
 * writers of one table form a queue from their first audit row to their commit.
 */
export class AuditChain1765000000001 implements MigrationInterface {
  name = 'AuditChain1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_chain_link() RETURNS trigger LANGUAGE plpgsql SET timezone TO 'UTC' AS $$
      DECLARE
        prev bytea;
      BEGIN
        PERFORM pg_advisory_xact_lock(TG_ARGV[0]::bigint);
        NEW.id := nextval(TG_ARGV[1]::regclass);
        -- On a partitioned table the trigger fires on the partition: the chain runs over the whole table.
        EXECUTE format('SELECT hash FROM %s ORDER BY id DESC LIMIT 1', coalesce(pg_partition_root(TG_RELID), TG_RELID)::regclass) INTO prev;
        NEW.hash := sha256(coalesce(prev, '\\x'::bytea) || convert_to(jsonb_strip_nulls(to_jsonb(NEW) - 'hash')::text, 'UTF8'));
        RETURN NEW;
      END $$;

      ALTER TABLE issue_events ADD COLUMN hash bytea;
      ALTER TABLE admin_audit ADD COLUMN hash bytea;
    `);
    // Existing rows, in id order (the append-only triggers are off for this one transaction).
    for (const table of ['issue_events', 'admin_audit']) {
      await q.query(
        `ALTER TABLE ${table} DISABLE TRIGGER ${table === 'issue_events' ? 'issue_events_no_update' : 'admin_audit_no_update'}`,
      );
      await q.query(`
        DO $$
        DECLARE
          r record;
          prev bytea := '\\x';
        BEGIN
          SET LOCAL timezone TO 'UTC';
          FOR r IN SELECT * FROM ${table} ORDER BY id LOOP
            prev := sha256(prev || convert_to(jsonb_strip_nulls(to_jsonb(r) - 'hash')::text, 'UTF8'));
            UPDATE ${table} SET hash = prev WHERE id = r.id;
          END LOOP;
        END $$`);
      await q.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table === 'issue_events' ? 'issue_events_no_update' : 'admin_audit_no_update'}`);
    }
    // The id sequences by what owns them (issue_events, partitioned by month, has its own).
    const [seq] = (await q.query(
      `SELECT pg_get_serial_sequence('issue_events', 'id') AS events, pg_get_serial_sequence('admin_audit', 'id') AS audit`,
    )) as { events: string; audit: string }[];
    await q.query(`
      ALTER TABLE issue_events ALTER COLUMN hash SET NOT NULL;
      ALTER TABLE admin_audit ALTER COLUMN hash SET NOT NULL;
      CREATE TRIGGER issue_events_chain BEFORE INSERT ON issue_events
        FOR EACH ROW EXECUTE FUNCTION audit_chain_link('7301', '${seq!.events}');
      CREATE TRIGGER admin_audit_chain BEFORE INSERT ON admin_audit
        FOR EACH ROW EXECUTE FUNCTION audit_chain_link('7302', '${seq!.audit}');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER admin_audit_chain ON admin_audit;
      DROP TRIGGER issue_events_chain ON issue_events;
      ALTER TABLE admin_audit DROP COLUMN hash;
      ALTER TABLE issue_events DROP COLUMN hash;
      DROP FUNCTION audit_chain_link();
    `);
  }
}
