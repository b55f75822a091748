import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppException } from '../common/app.exception';
import { processPhoto, THUMB_MIME_TYPE, type PhotoMimeType } from './photo-processing';
import { PHOTO_STORE, type PhotoStore } from './photo-store';
import { sniffImageType } from './sniff';
import type { UploadedPhoto } from './upload-reader';

/** An uploaded photo whose type was sniffed from its bytes, not yet decoded. */
export interface IncomingPhoto {
  upload: UploadedPhoto;
  mimeType: PhotoMimeType;
  /** Of the bytes as sent (recognises retries). */
  sha256: string;
}

/** A photo as stored: the re-encoded bytes' size and hash, their keys, their size in pixels. */
export interface StoredPhoto {
  mimeType: PhotoMimeType;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  thumbKey: string;
  width: number;
  height: number;
}

/** What the attachments route sends: the bytes as a stream, with their type and length. */
export interface PhotoContent {
  stream: Readable | Buffer;
  size: number;
  mimeType: string;
}

/**
 * Checks uploaded photos, re-encodes them without metadata, makes their thumbnails and keeps both
 * in the photo store (local disk or S3) under random keys.
 */
@Injectable()
export class AttachmentStorage {
  private readonly logger = new Logger('attachments');

  constructor(@Inject(PHOTO_STORE) private readonly store: PhotoStore) {}

  /** Refuses anything that is not really a JPEG, PNG or WebP by its first bytes, or is empty. */
  check(upload: UploadedPhoto, index: number): IncomingPhoto {
    if (upload.sizeBytes === 0) throw new AppException('UNSUPPORTED_MEDIA_TYPE', `Photo ${index + 1} is empty`, { index });
    const mimeType = sniffImageType(upload.head);
    if (!mimeType) throw new AppException('UNSUPPORTED_MEDIA_TYPE', `Photo ${index + 1} is not a JPEG, PNG or WebP image`, { index });
    return { upload, mimeType, sha256: upload.sha256 };
  }

  /**
   * Decodes and re-encodes every photo first (so a refused photo stores nothing), then puts them
   * and their thumbnails. Resolves once all are durable; on failure removes what it put.
   */
  async keep(photos: IncomingPhoto[]): Promise<StoredPhoto[]> {
    const processed = [];
    for (const [i, photo] of photos.entries()) processed.push(await processPhoto(photo.upload.path, photo.mimeType, i));
    const stored: StoredPhoto[] = [];
    try {
      for (const p of processed) {
        const storageKey = `${new Date().toISOString().slice(0, 7)}/${randomBytes(16).toString('hex')}`;
        const photo: StoredPhoto = {
          mimeType: p.mimeType,
          sizeBytes: p.bytes.length,
          sha256: createHash('sha256').update(p.bytes).digest('hex'),
          storageKey,
          thumbKey: `${storageKey}_thumb`,
          width: p.width,
          height: p.height,
        };
        stored.push(photo);
        await this.store.put(photo.storageKey, p.bytes, p.mimeType);
        await this.store.put(photo.thumbKey, p.thumb, THUMB_MIME_TYPE);
      }
      return stored;
    } catch (err) {
      await this.discard(stored);
      throw err;
    }
  }

  /** Removes photos whose database rows were never committed. */
  async discard(photos: StoredPhoto[]): Promise<void> {
    for (const photo of photos) {
      for (const key of [photo.storageKey, photo.thumbKey]) {
        await this.store
          .remove(key)
          .catch((err: unknown) => this.logger.warn({ msg: 'could not remove an orphan photo', key, err: String(err) }));
      }
    }
  }

  /**
   * The bytes to serve. Photos stored before re-encoding existed (no size in pixels) still carry
   * their camera metadata on disk: they are re-encoded on the way out, never sent as they are.
   */
  async content(
    row: { storage_key: string; thumb_key: string | null; mime_type: string; width: number | null },
    size: 'full' | 'thumb',
  ): Promise<PhotoContent | null> {
    if (row.width !== null && row.thumb_key !== null) {
      const found = await this.store.open(size === 'thumb' ? row.thumb_key : row.storage_key);
      return found && { ...found, mimeType: size === 'thumb' ? THUMB_MIME_TYPE : row.mime_type };
    }
    const found = await this.store.open(row.storage_key);
    if (!found) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of found.stream) chunks.push(chunk as Buffer);
    const p = await processPhoto(Buffer.concat(chunks), row.mime_type as PhotoMimeType, 0);
    const bytes = size === 'thumb' ? p.thumb : p.bytes;
    return { stream: bytes, size: bytes.length, mimeType: size === 'thumb' ? THUMB_MIME_TYPE : p.mimeType };
  }
}
