import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AttachmentKind } from '@gridline/shared';

@Entity('attachments')
export class Attachment {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'issue_id', type: 'integer' })
  issueId!: number;

  @Column({ name: 'event_id', type: 'bigint', nullable: true })
  eventId!: string | null;

  @Column({ type: 'text' })
  kind!: AttachmentKind;

  /** Sniffed from the bytes, never taken from the client. */
  @Column({ name: 'mime_type', type: 'text' })
  mimeType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'text' })
  sha256!: string;

  /** Random name in the photo store; the client's file name is never used. */
  @Column({ name: 'storage_key', type: 'text', unique: true, select: false })
  storageKey!: string;

  /** The thumbnail's key; null for photos stored before thumbnails existed. */
  @Column({ name: 'thumb_key', type: 'text', nullable: true, unique: true, select: false })
  thumbKey!: string | null;

  /** Pixels of the stored photo, orientation applied. */
  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ name: 'uploaded_by', type: 'integer', nullable: true })
  uploadedBy!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
