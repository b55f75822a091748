import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The issue's event counter leaves the `issues` row for a narrow table of its own
 * (server/src/events/issue-event-counter.ts). The SLA sweep moved `issues.event_seq` of every
 * issue it fired for: each a new version of a wide row and an entry in each of its 11 indexes
 * (about a third of a 2,000-clock batch in `npm run bench:sla`). A counter row is a few bytes
 * with one index, and its updates stay on their page (HOT; fillfactor 50 leaves the room).
 * An issue with only its report (event 1) has no row.
 */
export class IssueEventCounters1765880000000 implements MigrationInterface {
  name = 'IssueEventCounters1765880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE issue_event_counters (
        issue_id integer PRIMARY KEY REFERENCES issues (id) ON DELETE CASCADE,
        last_seq integer NOT NULL CHECK (last_seq >= 2)
      ) WITH (fillfactor = 50);
      INSERT INTO issue_event_counters (issue_id, last_seq) SELECT id, event_seq FROM issues WHERE event_seq > 1;
      ALTER TABLE issues DROP COLUMN event_seq;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE issues ADD COLUMN event_seq integer NOT NULL DEFAULT 1 CHECK (event_seq >= 1);
      UPDATE issues i SET event_seq = c.last_seq FROM issue_event_counters c WHERE c.issue_id = i.id;
      DROP TABLE issue_event_counters;
    `);
  }
}
