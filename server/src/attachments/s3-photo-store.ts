import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppException } from '../common/app.exception';
import type { S3Config } from '../config/app-config';
import type { PhotoStore } from './photo-store';

/** Photos as objects of one S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …). */
export class S3PhotoStore implements PhotoStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly logger = new Logger('photo-store');

  constructor(private readonly config: S3Config) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where the API requires them: many S3-compatible servers do not know the newer trailing-checksum uploads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    // A 200 from PutObject means the object is stored durably; nothing more to flush.
    await this.call('put', key, () =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
      ),
    );
  }

  async open(key: string): Promise<{ stream: Readable; size: number } | null> {
    const res = await this.call('get', key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key })).catch((err: unknown) => {
        if (err instanceof NoSuchKey) return null;
        throw err;
      }),
    );
    if (!res) return null;
    if (!res.Body || res.ContentLength === undefined) throw new Error(`S3 returned no body for ${key}`);
    return { stream: res.Body as Readable, size: res.ContentLength };
  }

  async remove(key: string): Promise<void> {
    await this.call('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key })));
  }

  /** A bucket that does not answer (after the SDK's retries) is a 503 the client may retry, not a 500. */
  private async call<T>(op: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      this.logger.error({
        msg: 'photo store request failed',
        op,
        key,
        err: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
      throw new AppException('PHOTO_STORAGE_UNAVAILABLE', 'The photo storage did not answer; try again shortly');
    }
  }

  /** Whether the bucket answers with these credentials; a reason when it does not. */
  async probe(): Promise<string | null> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
      return null;
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
