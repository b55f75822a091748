import { randomBytes, createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppException } from '../common/app.exception';
import { processPhoto, THUMB_MIME_TYPE, type PhotoMimeType } from './photo-processing';
import type { PhotoStore } from './photo-store';

export interface ReencodeReport {
  reencoded: number;
  /** Rows whose file or object is gone. */
  missing: number;
  /** Files that do not decode (kept as they are, still re-encoded when served). */
  undecodable: number;
}

/**
 * Re-encodes the photos stored before photos were stripped (rows without `width`): each gets new
 * keys, the row is switched to them only if no one else did it first, and the old bytes — with
 * their camera metadata — are removed. Safe to run while the server serves, and to run again.
 */
export async function reencodeLegacyPhotos(ds: DataSource, store: PhotoStore, batch = 100): Promise<ReencodeReport> {
  const report: ReencodeReport = { reencoded: 0, missing: 0, undecodable: 0 };
  let after = 0;
  for (;;) {
    const rows: { id: number; storage_key: string; mime_type: PhotoMimeType }[] = await ds.query(
      'SELECT id, storage_key, mime_type FROM attachments WHERE width IS NULL AND id > $1 ORDER BY id LIMIT $2',
      [after, batch],
    );
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = row.id;
      const found = await store.open(row.storage_key);
      if (!found) {
        report.missing++;
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of found.stream) chunks.push(chunk as Buffer);
      const photo = await processPhoto(Buffer.concat(chunks), row.mime_type, 0).catch((err: unknown) => {
        if (err instanceof AppException) return null;
        throw err;
      });
      if (!photo) {
        report.undecodable++;
        continue;
      }
      const storageKey = `${row.storage_key.slice(0, 7)}/${randomBytes(16).toString('hex')}`;
      const thumbKey = `${storageKey}_thumb`;
      await store.put(storageKey, photo.bytes, photo.mimeType);
      await store.put(thumbKey, photo.thumb, THUMB_MIME_TYPE);
      const [, updated]: [unknown, number] = await ds.query(
        `UPDATE attachments SET storage_key = $2, thumb_key = $3, width = $4, height = $5, size_bytes = $6, sha256 = $7
          WHERE id = $1 AND width IS NULL`,
        [
          row.id,
          storageKey,
          thumbKey,
          photo.width,
          photo.height,
          photo.bytes.length,
          createHash('sha256').update(photo.bytes).digest('hex'),
        ],
      );
      // Someone else re-encoded it first: drop our copy; otherwise drop the original with its metadata.
      for (const key of updated === 1 ? [row.storage_key] : [storageKey, thumbKey]) await store.remove(key);
      if (updated === 1) report.reencoded++;
    }
  }
}
