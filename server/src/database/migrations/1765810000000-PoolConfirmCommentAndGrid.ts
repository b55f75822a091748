import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service pool, second step:
 * - `pool_items.confirm_comment`: what the resident (or the community) says when confirming a
 *   finished wish, next to the 1–5 score.
 * - `pool_items.grid_id`: the grid the item lies in when it is known (the issue it was turned
 *   from, or its point inside one of its community's grids), so its events carry the grid for
 *   consumers scoped by grid. Existing items turned from an issue take the grid.
 */
export class PoolConfirmCommentAndGrid1765810000000 implements MigrationInterface {
  name = 'PoolConfirmCommentAndGrid1765810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE pool_items
        ADD COLUMN confirm_comment text CHECK (length(confirm_comment) BETWEEN 1 AND 500),
        ADD COLUMN grid_id integer REFERENCES regions(id);
      UPDATE pool_items p SET grid_id = i.grid_id FROM issues i WHERE i.id = p.issue_id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pool_items DROP COLUMN grid_id, DROP COLUMN confirm_comment`);
  }
}
