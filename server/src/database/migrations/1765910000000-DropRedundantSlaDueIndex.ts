import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `issues_sla_due_idx (sla_due_at) WHERE sla_due_at IS NOT NULL` has the same key and predicate
 * as `issues_kpi_overdue_idx`, which only adds INCLUDE columns: every query the first serves, the
 * second serves as well (and "overdue now" as an index-only scan). The first cost one more index
 * entry for every report and every transition that moves the due time. Dropped.
 */
export class DropRedundantSlaDueIndex1765910000000 implements MigrationInterface {
  name = 'DropRedundantSlaDueIndex1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX issues_sla_due_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX issues_sla_due_idx ON issues (sla_due_at) WHERE sla_due_at IS NOT NULL');
  }
}
