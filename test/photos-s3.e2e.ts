import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { IssueDetail } from '@gridline/shared';
import { PHOTO_STORE, type PhotoStore } from '../server/src/attachments/photo-store';
import { S3PhotoStore } from '../server/src/attachments/s3-photo-store';
import { cameraPhoto, cornerColours, metadataIn } from './support/camera-photos';
import { expectApiError, filesUnder, footprint } from './support/checks';
import { loadCast, report, type Cast } from './support/fixtures';
import { pngDeclaring } from './support/images';
import { startS3Server, type S3TestServer } from './support/s3-server';
import { startTestApp, type TestApp } from './support/test-app';

/** With S3_* set, photos go to the bucket (not the disk), without metadata, and are read back through the API. */
let s3: S3TestServer;
let t: TestApp;
let cast: Cast;
let client: S3Client;

beforeAll(async () => {
  s3 = await startS3Server();
  t = await startTestApp(s3.env);
  cast = await loadCast(t.api);
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.env.S3_REGION!,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.env.S3_ACCESS_KEY_ID!, secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY! },
  });
});
afterAll(async () => {
  client?.destroy();
  await t?.close();
  await s3?.close();
});

async function objectKeys(): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

async function object(key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

async function download(url: string, token: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${t.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const postReport = (photos: { bytes: Buffer; name?: string }[], token = cast.tokens.worker1) =>
  t.api.request<IssueDetail>('POST', '/api/v1/issues', {
    token,
    body: { categoryId: cast.category.id, gridId: cast.gridId, description: '路灯不亮' },
    photos,
  });

describe('photos in an S3 bucket', () => {
  let issue: IssueDetail;

  beforeAll(async () => {
    const res = await postReport([{ bytes: await cameraPhoto('jpeg') }, { bytes: await cameraPhoto('png') }]);
    expect(res.status).toBe(201);
    issue = res.body;
  });

  it('puts each photo and its thumbnail in the bucket, without metadata, and nothing on local disk', async () => {
    const { rows } = await t.sql.query<{ storage_key: string; thumb_key: string; sha256: string; size_bytes: number }>(
      'SELECT storage_key, thumb_key, sha256, size_bytes FROM attachments WHERE issue_id = $1 ORDER BY id',
      [issue.id],
    );
    expect(rows).toHaveLength(2);
    const keys = await objectKeys();
    for (const row of rows) {
      expect(keys).toEqual(expect.arrayContaining([row.storage_key, row.thumb_key]));
      const stored = await object(row.storage_key);
      expect(stored.length).toBe(row.size_bytes);
      expect(await metadataIn(stored)).toEqual([]);
      expect(await metadataIn(await object(row.thumb_key))).toEqual([]);
      expect((await cornerColours(stored)).height).toBe(40);
    }
    // Only the (empty) folder for uploads in flight exists locally.
    expect(filesUnder(t.config.uploadDir)).toEqual([]);
  });

  it('reads them back through the API, byte for byte, under the scope check', async () => {
    for (const a of issue.attachments) {
      const { rows } = await t.sql.query<{ storage_key: string; thumb_key: string }>(
        'SELECT storage_key, thumb_key FROM attachments WHERE id = $1',
        [a.id],
      );
      const full = await download(a.url, cast.tokens.worker1!);
      expect([full.status, full.type]).toEqual([200, a.mimeType]);
      expect(full.bytes.equals(await object(rows[0]!.storage_key))).toBe(true);
      const thumb = await download(a.thumbUrl, cast.tokens.worker1!);
      expect([thumb.status, thumb.type]).toEqual([200, 'image/webp']);
      expect(thumb.bytes.equals(await object(rows[0]!.thumb_key))).toBe(true);
      expectApiError(await t.api.get(a.url, cast.tokens.lead2), 404, 'ATTACHMENT_NOT_FOUND');
    }
  });

  it('puts nothing in the bucket for a refused photo, and removes what a refused action had put', async () => {
    const before = await objectKeys();
    expectApiError(
      await postReport([{ bytes: await cameraPhoto('jpeg') }, { bytes: pngDeclaring(50_000, 50_000) }]),
      413,
      'IMAGE_TOO_LARGE',
    );
    expect(await objectKeys()).toEqual(before);

    // A stale version is found only inside the transaction, after the photo was put: it must be removed again.
    const fresh = await report(t.api, cast);
    const stale = await t.api.request('POST', `/api/v1/issues/${fresh.id}/actions/resolve_on_site`, {
      token: cast.tokens.worker1,
      body: { version: fresh.version + 5, note: '已修好' },
      photos: [{ bytes: await cameraPhoto('jpeg') }],
    });
    expectApiError(stale, 409, 'ISSUE_VERSION_CONFLICT');
    expect(await objectKeys()).toEqual(before);
    expect(filesUnder(t.config.uploadDir)).toEqual([]);
  });

  it('uses the bucket as its photo store, and its boot probe tells a missing bucket or an unknown access key', async () => {
    const store = t.app.get<PhotoStore>(PHOTO_STORE);
    expect(store).toBeInstanceOf(S3PhotoStore);
    expect(await (store as S3PhotoStore).probe()).toBeNull();
    for (const wrong of [{ bucket: 'no-such-bucket' }, { accessKeyId: 'NOT-A-KEY' }]) {
      const other = new S3PhotoStore({ ...t.config.s3!, ...wrong });
      expect(await other.probe()).toEqual(expect.any(String));
      other.destroy();
    }
  });

  // Last: it stops the S3 server.
  it('answers 503 PHOTO_STORAGE_UNAVAILABLE, writing no row, when the bucket does not answer', async () => {
    await s3.close();
    const before = await footprint(t);
    expectApiError(await postReport([{ bytes: await cameraPhoto('jpeg') }]), 503, 'PHOTO_STORAGE_UNAVAILABLE');
    expect(await footprint(t)).toEqual(before);
    expect(before.files).toEqual([]);
  });
});
