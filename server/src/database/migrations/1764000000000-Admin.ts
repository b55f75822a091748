import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administration: configuration rows can be deactivated instead of deleted (history keeps
 * pointing at them), and every admin change is recorded in an append-only `admin_audit`.
 */
export class Admin1764000000000 implements MigrationInterface {
  name = 'Admin1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE regions ADD COLUMN active boolean NOT NULL DEFAULT true;
      ALTER TABLE departments ADD COLUMN active boolean NOT NULL DEFAULT true;
      ALTER TABLE categories ADD COLUMN active boolean NOT NULL DEFAULT true;
      -- a region's issues are counted by the copied ancestor columns; these make "is it in use" cheap
      CREATE INDEX users_region_idx ON users (region_id) WHERE region_id IS NOT NULL;
      CREATE INDEX users_grid_ids_idx ON users USING gin (grid_ids);

      CREATE TABLE admin_audit (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           timestamptz NOT NULL,
        actor_id     integer REFERENCES users(id),
        entity_type  text NOT NULL CHECK (entity_type ~ '^[a-z_]{1,32}$'),
        entity_id    text NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 64),
        action       text NOT NULL CHECK (action ~ '^[a-z_]{1,32}$'),
        before       jsonb,
        after        jsonb,
        CHECK (before IS NOT NULL OR after IS NOT NULL)
      );
      CREATE INDEX admin_audit_entity_idx ON admin_audit (entity_type, entity_id, id DESC);
      CREATE INDEX admin_audit_actor_idx ON admin_audit (actor_id, id DESC);

      -- Like issue_events: no update, no delete, whoever asks.
      CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'admin_audit is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER admin_audit_no_update BEFORE UPDATE OR DELETE ON admin_audit
        FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
      CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
        FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE admin_audit;
      DROP FUNCTION admin_audit_append_only();
      DROP INDEX users_grid_ids_idx;
      DROP INDEX users_region_idx;
      ALTER TABLE categories DROP COLUMN active;
      ALTER TABLE departments DROP COLUMN active;
      ALTER TABLE regions DROP COLUMN active;
    `);
  }
}
