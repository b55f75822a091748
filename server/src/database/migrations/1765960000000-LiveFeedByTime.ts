import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live feed's access path: the trail's status changes by time. A subscribe ack's feed is a
 * region's latest status changes of the last day; it walks this index from now backwards and
 * stops at the day's start, whatever the region. Before, the feed walked the whole trail by id
 * until it had found 30 changes of the region, so a quiet grid or community read the trail back
 * to its last change: about 1 s at 2 M events, growing with the history (see docs/adr).
 *
 * Partial: events that change no status (SLA warnings and breaches, comments) write no entry, so
 * the SLA sweep pays nothing for it; a report or a transition writes one. On a partitioned table
 * the index is built on every partition, and a new month's partition gets it when created. A long
 * trail can have it built beforehand, concurrently (see docs/adr): then it is kept.
 */
export class LiveFeedByTime1765960000000 implements MigrationInterface {
  name = 'LiveFeedByTime1765960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS issue_events_status_changes_idx ON issue_events (at, id) WHERE to_status IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX issue_events_status_changes_idx`);
  }
}
