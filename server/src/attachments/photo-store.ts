import type { Readable } from 'node:stream';

/**
 * Where photo bytes live: local disk by default, an S3-compatible bucket when configured. Keys are
 * random and chosen by the server; an object, once put, is never changed.
 */
export interface PhotoStore {
  readonly kind: 'local' | 's3';
  /** Resolves only once the bytes are durable (fsynced, or acknowledged by the bucket). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The stored bytes as a stream; null when there is no such object. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Removes an object; removing a missing one is not an error. */
  remove(key: string): Promise<void>;
}

export const PHOTO_STORE = Symbol('PHOTO_STORE');
