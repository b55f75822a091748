import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexes a queue's list reads by status, and a department's, also carry the region columns a
 * centre's scope tests: `(status, district_id, street_id)` in place of `(status)`, and
 * `(department_id, status, district_id)` in place of `(department_id, status)`. A capped count of a
 * district's or a street's 待受理, or of one department across the district, then reads the index
 * alone instead of checking each match's region in the table (at 10 M issues: 100,001 table rows,
 * about 300 ms). Same number of index entries per report and per transition; the few distinct
 * keys deduplicate, so the sizes barely change (see docs/adr).
 *
 * On a large table the new indexes can be built beforehand, concurrently, under these names: then
 * they are kept, and only the old ones are dropped here.
 */
export class ListCountIndexesCarryRegion1765970000000 implements MigrationInterface {
  name = 'ListCountIndexesCarryRegion1765970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX IF NOT EXISTS issues_status_region_idx ON issues (status, district_id, street_id)');
    await q.query(`CREATE INDEX IF NOT EXISTS issues_department_region_idx ON issues (department_id, status, district_id)
      WHERE department_id IS NOT NULL`);
    await q.query('DROP INDEX issues_status_idx');
    await q.query('DROP INDEX issues_department_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX issues_status_idx ON issues (status)');
    await q.query('CREATE INDEX issues_department_idx ON issues (department_id, status) WHERE department_id IS NOT NULL');
    await q.query('DROP INDEX issues_status_region_idx');
    await q.query('DROP INDEX issues_department_region_idx');
  }
}
