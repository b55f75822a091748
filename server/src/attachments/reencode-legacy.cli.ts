import { ConfigError, loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { createPhotoStore } from './create-photo-store';
import { reencodeLegacyPhotos } from './reencode-legacy';
import { S3PhotoStore } from './s3-photo-store';

/**
 * `npm run photos:reencode`: re-encodes, without their camera metadata, the photos stored before
 * photos were stripped on upload, and removes the originals. Safe to run again and while serving.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const ds = createDataSource(config.databaseUrl, 2);
  await ds.initialize();
  const store = createPhotoStore(config);
  try {
    const started = Date.now();
    const report = await reencodeLegacyPhotos(ds, store);
    console.log(
      `Re-encoded ${report.reencoded} photo(s) in ${Date.now() - started} ms; ${report.missing} missing, ${report.undecodable} undecodable (served re-encoded on the fly).`,
    );
    return 0;
  } finally {
    if (store instanceof S3PhotoStore) store.destroy();
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
    process.exit(2);
  },
);
