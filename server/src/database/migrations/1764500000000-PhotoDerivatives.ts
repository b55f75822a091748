import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photos are re-encoded without their metadata and get a thumbnail: the thumbnail's storage key
 * and the stored photo's size in pixels. Rows written before this stay NULL (served re-encoded on
 * the fly, with no separate thumbnail).
 */
export class PhotoDerivatives1764500000000 implements MigrationInterface {
  name = 'PhotoDerivatives1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        ADD COLUMN thumb_key text UNIQUE,
        ADD COLUMN width integer CHECK (width > 0),
        ADD COLUMN height integer CHECK (height > 0),
        ADD CONSTRAINT attachments_size_known CHECK ((width IS NULL) = (height IS NULL)),
        ADD CONSTRAINT attachments_thumb_measured CHECK (thumb_key IS NULL OR width IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        DROP CONSTRAINT attachments_thumb_measured,
        DROP CONSTRAINT attachments_size_known,
        DROP COLUMN height,
        DROP COLUMN width,
        DROP COLUMN thumb_key;
    `);
  }
}
