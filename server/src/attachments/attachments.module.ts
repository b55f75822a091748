import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AttachmentStorage } from './attachment-storage.service';
import { createPhotoStore } from './create-photo-store';
import { PHOTO_STORE, type PhotoStore } from './photo-store';
import { S3PhotoStore } from './s3-photo-store';
import { UploadReader } from './upload-reader';

/** Photo uploads and storage; the route that serves photos sits with the issues, whose scope it checks. */
@Module({
  providers: [
    {
      provide: PHOTO_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PhotoStore => createPhotoStore(config),
    },
    AttachmentStorage,
    UploadReader,
  ],
  exports: [AttachmentStorage, UploadReader],
})
export class AttachmentsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PHOTO_STORE) private readonly store: PhotoStore) {}

  /** A wrong bucket or key shows at boot, not at the first photo; the server still starts (the bucket may come back). */
  async onApplicationBootstrap(): Promise<void> {
    if (!(this.store instanceof S3PhotoStore)) return;
    const problem = await this.store.probe();
    if (problem) new Logger('photo-store').error({ msg: 'the S3 bucket does not answer; photo uploads will fail with 503', problem });
  }

  onApplicationShutdown(): void {
    if (this.store instanceof S3PhotoStore) this.store.destroy();
  }
}
