import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 督办 that someone answers (SPEC §15): the department's answer and the dispatcher's close on the
 * supervision row, and the indexes the 督办 queue and the KPI statement read by (see ADR 0036):
 * - open 督办 newest first, and per issue (the flag on lists and the detail);
 * - the audit steps the KPIs count (dispatch, return, reopen) per issue, a small partial index
 *   instead of the whole trail's (issue_id, id) index.
 */
export class SupervisionAnswers1765300000000 implements MigrationInterface {
  name = 'SupervisionAnswers1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supervisions
        ADD COLUMN response_note  text CHECK (length(response_note) BETWEEN 1 AND 2000),
        ADD COLUMN responded_by   integer REFERENCES users(id),
        ADD COLUMN responded_at   timestamptz,
        ADD COLUMN closed_by      integer REFERENCES users(id),
        ADD COLUMN closed_at      timestamptz,
        ADD COLUMN close_note     text CHECK (length(close_note) BETWEEN 1 AND 2000),
        ADD CONSTRAINT supervisions_response_whole CHECK ((response_note IS NULL) = (responded_at IS NULL) AND (responded_at IS NULL) = (responded_by IS NULL)),
        ADD CONSTRAINT supervisions_close_whole CHECK ((closed_at IS NULL) = (closed_by IS NULL));
      CREATE INDEX supervisions_created_idx ON supervisions (created_at DESC, id DESC);
      CREATE INDEX supervisions_open_issue_idx ON supervisions (issue_id, level) WHERE closed_at IS NULL;
      CREATE INDEX issue_events_kpi_steps_idx ON issue_events (issue_id) WHERE type IN ('dispatch', 'return', 'reopen');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX issue_events_kpi_steps_idx;
      DROP INDEX supervisions_open_issue_idx;
      DROP INDEX supervisions_created_idx;
      ALTER TABLE supervisions
        DROP CONSTRAINT supervisions_close_whole,
        DROP CONSTRAINT supervisions_response_whole,
        DROP COLUMN close_note, DROP COLUMN closed_at, DROP COLUMN closed_by,
        DROP COLUMN responded_at, DROP COLUMN responded_by, DROP COLUMN response_note;
    `);
  }
}
