import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IssueDetail } from '@gridline/shared';
import { DataSource } from 'typeorm';
import { PHOTO_STORE, type PhotoStore } from '../server/src/attachments/photo-store';
import { reencodeLegacyPhotos } from '../server/src/attachments/reencode-legacy';
import { cameraPhoto, cornerColours, metadataIn } from './support/camera-photos';
import { expectApiError, filesUnder, footprint } from './support/checks';
import { act, loadCast, report, type Cast } from './support/fixtures';
import { pngDeclaring } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';

/** Photos lose their camera metadata (GPS, time, device) before they are stored, and are served without it. */
let t: TestApp;
let cast: Cast;
beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const RED_ON_TOP = { width: 20, height: 40 };

async function download(url: string, token = cast.tokens.worker1!): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${t.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function storedKeys(issueId: number): Promise<{ storage_key: string; thumb_key: string }[]> {
  const { rows } = await t.sql.query<{ storage_key: string; thumb_key: string }>(
    'SELECT storage_key, thumb_key FROM attachments WHERE issue_id = $1 ORDER BY id',
    [issueId],
  );
  return rows;
}

describe('a camera photo with EXIF GPS, XMP and an ICC profile', () => {
  let issue: IssueDetail;
  const sent: Buffer[] = [];

  beforeAll(async () => {
    sent.push(await cameraPhoto('jpeg'), await cameraPhoto('png'), await cameraPhoto('webp'));
    for (const bytes of sent)
      expect(await metadataIn(bytes)).toEqual(expect.arrayContaining(['EXIF block', 'XMP packet', 'ICC profile', 'orientation 6']));
    const res = await t.api.request<IssueDetail>('POST', '/api/v1/issues', {
      token: cast.tokens.worker1,
      body: { categoryId: cast.category.id, gridId: cast.gridId, description: '井盖缺失' },
      photos: sent.map((bytes, i) => ({ bytes, name: `IMG_000${i}.jpg` })),
    });
    expect(res.status).toBe(201);
    issue = res.body;
  });

  it('is stored without any metadata, upright, in its own format', async () => {
    expect(issue.attachments.map((a) => [a.mimeType, a.width, a.height])).toEqual([
      ['image/jpeg', 20, 40],
      ['image/png', 20, 40],
      ['image/webp', 20, 40],
    ]);
    for (const key of await storedKeys(issue.id)) {
      for (const path of [key.storage_key, key.thumb_key]) {
        const bytes = readFileSync(join(t.config.uploadDir, path));
        expect({ path, found: await metadataIn(bytes) }).toEqual({ path, found: [] });
      }
      const photo = await cornerColours(readFileSync(join(t.config.uploadDir, key.storage_key)));
      expect({ width: photo.width, height: photo.height }).toEqual(RED_ON_TOP);
    }
  });

  it('is served without any metadata, upright (red on top), full size and thumbnail', async () => {
    for (const a of issue.attachments) {
      const full = await download(a.url);
      expect([full.status, full.type]).toEqual([200, a.mimeType]);
      expect(await metadataIn(full.bytes)).toEqual([]);
      const photo = await cornerColours(full.bytes);
      expect({ width: photo.width, height: photo.height }).toEqual(RED_ON_TOP);
      expect(photo.top[0]).toBeGreaterThan(180); // red
      expect(photo.bottom[2]).toBeGreaterThan(180); // blue
      const thumb = await download(a.thumbUrl);
      expect([thumb.status, thumb.type]).toEqual([200, 'image/webp']);
      expect(await metadataIn(thumb.bytes)).toEqual([]);
      expect((await cornerColours(thumb.bytes)).top[0]).toBeGreaterThan(180);
    }
  });

  it('never keeps the client’s file name, and leaves no temporary upload behind', () => {
    const files = filesUnder(t.config.uploadDir);
    expect(files.filter((f) => /IMG_|\.jpe?g$|\.png$|\.webp$|\.part$/i.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('.incoming'))).toEqual([]);
  });

  it('is stripped on an action too (an after-photo)', async () => {
    const fresh = await report(t.api, cast);
    const done = await act(t.api, cast.tokens.worker1!, fresh, 'resolve_on_site', { note: '已盖好' }, [await cameraPhoto('jpeg')]);
    const after = done.attachments.find((a) => a.kind === 'after')!;
    expect([after.width, after.height]).toEqual([20, 40]);
    const [key] = await storedKeys(fresh.id);
    expect(await metadataIn(readFileSync(join(t.config.uploadDir, key!.storage_key)))).toEqual([]);
    expect(await metadataIn((await download(after.url)).bytes)).toEqual([]);
  });
});

describe('a photo stored before photos were re-encoded', () => {
  it('is re-encoded on the way out (its EXIF on disk is never served), and replaced by npm run photos:reencode', async () => {
    const issue = await report(t.api, cast);
    const original = await cameraPhoto('jpeg');
    const key = `2025-01/${'ab'.repeat(16)}`;
    await mkdir(dirname(join(t.config.uploadDir, key)), { recursive: true });
    await writeFile(join(t.config.uploadDir, key), original);
    const { rows } = await t.sql.query<{ id: number }>(
      `INSERT INTO attachments (issue_id, kind, mime_type, size_bytes, sha256, storage_key, created_at)
       VALUES ($1, 'before', 'image/jpeg', $2, $3, $4, now()) RETURNING id`,
      [issue.id, original.length, 'a'.repeat(64), key],
    );
    const id = rows[0]!.id;
    for (const url of [`/api/v1/attachments/${id}`, `/api/v1/attachments/${id}?size=thumb`]) {
      const res = await download(url);
      expect(res.status).toBe(200);
      expect(await metadataIn(res.bytes)).toEqual([]);
      expect((await cornerColours(res.bytes)).top[0]).toBeGreaterThan(180);
    }
    expectApiError(await t.api.get(`/api/v1/attachments/${id}`, cast.tokens.lead2), 404, 'ATTACHMENT_NOT_FOUND');

    // The backfill re-encodes it in place of the original, which is removed; a second run finds nothing to do.
    const store = t.app.get<PhotoStore>(PHOTO_STORE);
    const ds = t.app.get(DataSource);
    expect(await reencodeLegacyPhotos(ds, store)).toEqual({ reencoded: 1, missing: 0, undecodable: 0 });
    const after = await t.sql.query<{ storage_key: string; thumb_key: string; width: number; height: number }>(
      'SELECT storage_key, thumb_key, width, height FROM attachments WHERE id = $1',
      [id],
    );
    const row = after.rows[0]!;
    expect([row.width, row.height]).toEqual([20, 40]);
    expect(existsSync(join(t.config.uploadDir, key))).toBe(false);
    for (const stored of [row.storage_key, row.thumb_key])
      expect(await metadataIn(readFileSync(join(t.config.uploadDir, stored)))).toEqual([]);
    const served = await download(`/api/v1/attachments/${id}`);
    expect(served.bytes.equals(readFileSync(join(t.config.uploadDir, row.storage_key)))).toBe(true);
    expect(await reencodeLegacyPhotos(ds, store)).toEqual({ reencoded: 0, missing: 0, undecodable: 0 });
  });
});

describe('refused photos write nothing', () => {
  it('a pixel bomb on an action: 413 IMAGE_TOO_LARGE, no rows, no files, no temporary upload', async () => {
    const issue = await report(t.api, cast);
    const before = await footprint(t);
    const res = await t.api.request('POST', `/api/v1/issues/${issue.id}/actions/resolve_on_site`, {
      token: cast.tokens.worker1,
      body: { version: issue.version, note: '已处理' },
      photos: [{ bytes: await cameraPhoto('jpeg') }, { bytes: pngDeclaring(50_000, 50_000), name: 'bomb.png', type: 'image/png' }],
    });
    expectApiError(res, 413, 'IMAGE_TOO_LARGE');
    expect(res.body.details).toMatchObject({ index: 1, width: 50_000, height: 50_000 });
    expect(await footprint(t)).toEqual(before);
  });

  it('a replayed report with photos stores nothing more and leaves no temporary upload', async () => {
    const photo = await cameraPhoto('jpeg');
    const key = `photo-replay-${Date.now()}`;
    const withKey = () =>
      t.api.request<IssueDetail>('POST', '/api/v1/issues', {
        token: cast.tokens.worker1,
        headers: { 'idempotency-key': key },
        body: { categoryId: cast.category.id, gridId: cast.gridId, description: '重复提交' },
        photos: [{ bytes: photo }],
      });
    expect((await withKey()).status).toBe(201);
    const before = await footprint(t);
    const replay = await withKey();
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await footprint(t)).toEqual(before);
  });
});
