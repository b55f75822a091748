import type { AppConfig } from '../config/app-config';
import { LocalPhotoStore } from './local-photo-store';
import type { PhotoStore } from './photo-store';
import { S3PhotoStore } from './s3-photo-store';

/** The S3 bucket when configured, local disk otherwise. */
export function createPhotoStore(config: AppConfig): PhotoStore {
  return config.s3 ? new S3PhotoStore(config.s3) : new LocalPhotoStore(config.uploadDir);
}
