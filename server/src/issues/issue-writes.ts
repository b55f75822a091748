import type { EntityManager } from 'typeorm';
import type { AttachmentKind, IssueStatus } from '@gridline/shared';
import type { StoredPhoto } from '../attachments/attachment-storage.service';

export interface NewIssueEvent {
  issueId: number;
  type: string;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus | null;
  actorId: number | null;
  note: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** Appends one audit event; returns its id. */
export async function insertEvent(tx: EntityManager, e: NewIssueEvent): Promise<string> {
  const rows: { id: string }[] = await tx.query(
    `INSERT INTO issue_events (issue_id, type, from_status, to_status, actor_id, note, data, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [e.issueId, e.type, e.fromStatus, e.toStatus, e.actorId, e.note, JSON.stringify(e.data), e.at],
  );
  return rows[0]!.id;
}

export async function insertAttachments(
  tx: EntityManager,
  issueId: number,
  eventId: string,
  kind: AttachmentKind,
  photos: StoredPhoto[],
  uploadedBy: number,
  at: Date,
): Promise<void> {
  if (photos.length === 0) return;
  await tx.query(
    `INSERT INTO attachments (issue_id, event_id, kind, mime_type, size_bytes, sha256, storage_key, thumb_key, width, height, uploaded_by, created_at)
     SELECT $1, $2, $3, m, s, h, k, tk, w, ht, $4, $5
       FROM unnest($6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::int[], $12::int[]) AS t(m, s, h, k, tk, w, ht)`,
    [
      issueId,
      eventId,
      kind,
      uploadedBy,
      at,
      photos.map((p) => p.mimeType),
      photos.map((p) => p.sizeBytes),
      photos.map((p) => p.sha256),
      photos.map((p) => p.storageKey),
      photos.map((p) => p.thumbKey),
      photos.map((p) => p.width),
      photos.map((p) => p.height),
    ],
  );
}
