import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { sniffImageType } from './sniff';

/** An uploaded file, checked but not yet stored. */
export interface IncomingPhoto {
  bytes: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  sha256: string;
}

export interface StoredPhoto extends IncomingPhoto {
  storageKey: string;
}

/** Checks photos from their bytes and keeps them on local disk under random names. */
@Injectable()
export class AttachmentStorage {
  private readonly logger = new Logger('attachments');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Refuses anything that is not really a JPEG, PNG or WebP, or is too big. */
  check(bytes: Buffer, index: number): IncomingPhoto {
    if (bytes.length === 0) throw new AppException('UNSUPPORTED_MEDIA_TYPE', `Photo ${index + 1} is empty`);
    if (bytes.length > UPLOAD_LIMITS.maxFileBytes) {
      throw new AppException('PAYLOAD_TOO_LARGE', `Photo ${index + 1} is larger than ${UPLOAD_LIMITS.maxFileBytes} bytes`);
    }
    const mimeType = sniffImageType(bytes);
    if (!mimeType) throw new AppException('UNSUPPORTED_MEDIA_TYPE', `Photo ${index + 1} is not a JPEG, PNG or WebP image`, { index });
    return { bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  async store(photos: IncomingPhoto[]): Promise<StoredPhoto[]> {
    const stored: StoredPhoto[] = [];
    try {
      for (const photo of photos) {
        const storageKey = join(new Date().toISOString().slice(0, 7), randomBytes(16).toString('hex'));
        const path = this.pathOf(storageKey);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.part`, photo.bytes, { mode: 0o600 });
        await rename(`${path}.part`, path);
        stored.push({ ...photo, storageKey });
      }
      return stored;
    } catch (err) {
      await this.discard(stored);
      throw err;
    }
  }

  /** Removes files whose database rows were never committed. */
  async discard(photos: StoredPhoto[]): Promise<void> {
    for (const photo of photos) {
      await rm(this.pathOf(photo.storageKey), { force: true }).catch((err: unknown) =>
        this.logger.warn({ msg: 'could not remove orphan upload', err: String(err) }),
      );
    }
  }

  read(storageKey: string): Promise<Buffer> {
    return readFile(this.pathOf(storageKey));
  }

  private pathOf(storageKey: string): string {
    return join(this.config.uploadDir, storageKey);
  }
}
