import { fakeJpeg } from './support/api-client';
import { expectApiError, footprint } from './support/checks';
import { issueIn, loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Races and retries: the version check and Idempotency-Key hold under concurrent requests. */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

let keySeq = 0;
const newKey = () => `key-${process.pid}-${Date.now()}-${++keySeq}`;
let descriptionSeq = 0;
const body = (extra: object = {}) => ({
  categoryId: cast.category.id,
  gridId: cast.gridId,
  description: `占道经营，影响通行 #${++descriptionSeq}`,
  ...extra,
});

function reportWithKey(key: string | undefined, payload: object, opts: { who?: string; photos?: Buffer[]; prefer?: string } = {}) {
  return t.api.request('POST', '/api/v1/issues', {
    token: cast.tokens[opts.who ?? 'worker1'],
    body: payload,
    headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...(opts.prefer ? { prefer: opts.prefer } : {}) },
    photos: opts.photos?.map((bytes) => ({ bytes })),
  });
}

const actRaw = (who: string, issue: { id: number; version: number }, action: string, extra: object = {}, photos?: Buffer[]) =>
  t.api.request('POST', `/api/v1/issues/${issue.id}/actions/${action}`, {
    token: cast.tokens[who],
    body: { version: issue.version, ...extra },
    photos: photos?.map((bytes) => ({ bytes })),
  });

async function eventsOf(issueId: number, type?: string): Promise<number> {
  const { rows } = await t.sql.query(
    'SELECT count(*)::int AS n FROM issue_events WHERE issue_id = $1 AND ($2::text IS NULL OR type = $2)',
    [issueId, type ?? null],
  );
  return rows[0].n;
}

describe('optimistic versions', () => {
  it.each([1, 2, 3, 4, 5])('two concurrent signs of the same version (round %i): one wins, the other gets 409', async () => {
    const issue = await issueIn(t.api, cast, 'dispatched');
    const [lead, staff] = await Promise.all([
      actRaw('lead1', issue, 'sign', { assigneeId: cast.users.staff1!.id }),
      actRaw('staff1', issue, 'sign'),
    ]);
    const outcomes = [lead, staff].map((r) => [r.status, r.body?.code ?? null]).sort();
    expect(outcomes).toEqual([
      [200, null],
      [409, 'ISSUE_VERSION_CONFLICT'],
    ]);
    const loser = lead.status === 409 ? lead : staff;
    expect(loser.body.details).toEqual({ currentVersion: issue.version + 1 });
    expect(await eventsOf(issue.id, 'sign')).toBe(1);
    const { rows } = await t.sql.query('SELECT status, version, assignee_id FROM issues WHERE id = $1', [issue.id]);
    expect(rows[0]).toEqual({ status: 'in_progress', version: issue.version + 1, assignee_id: cast.users.staff1!.id });
  });

  it('ten concurrent accepts of the same version: exactly one is taken', async () => {
    const issue = await issueIn(t.api, cast, 'reported');
    const results = await Promise.all(Array.from({ length: 10 }, () => actRaw('dispatcher', issue, 'accept')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectApiError(r, 409, 'ISSUE_VERSION_CONFLICT');
    expect(await eventsOf(issue.id)).toBe(2);
  });

  it('a stale version is refused with the current version, and writes nothing', async () => {
    const issue = await issueIn(t.api, cast, 'accepted');
    const before = await footprint(t);
    const res = await actRaw('dispatcher', { id: issue.id, version: issue.version - 1 }, 'dispatch', { departmentId: cast.departmentId });
    expectApiError(res, 409, 'ISSUE_VERSION_CONFLICT');
    expect(res.body.details).toEqual({ currentVersion: issue.version });
    expect(await footprint(t)).toEqual(before);
  });

  it('a stale version with photos leaves no file behind', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    const before = await footprint(t);
    const res = await actRaw('staff1', { id: issue.id, version: issue.version - 1 }, 'resolve', { note: '已处理' }, [
      fakeJpeg(),
      fakeJpeg(3000),
    ]);
    expectApiError(res, 409, 'ISSUE_VERSION_CONFLICT');
    expect(await footprint(t)).toEqual(before);
  });
});

describe('Idempotency-Key', () => {
  it('20 concurrent reports with one key and one body make one issue', async () => {
    const key = newKey();
    const payload = body();
    const before = await footprint(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => reportWithKey(key, payload)));

    expect(results.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const r of results) expect(r.headers.get('idempotent-replayed')).toBe(r.status === 200 ? 'true' : null);

    const [id] = [...ids];
    const { rows } = await t.sql.query('SELECT id FROM issues WHERE idempotency_key = $1', [key]);
    expect(rows).toEqual([{ id }]);
    expect(await eventsOf(id!, 'report')).toBe(1);
    const after = await footprint(t);
    expect(after.issues).toBe(before.issues + 1);
    expect(after.events).toBe(before.events + 1);
  });

  it('20 concurrent multipart reports with one key store the photos once, with no orphan files', async () => {
    const key = newKey();
    const payload = body();
    const photos = [fakeJpeg(3000), fakeJpeg(6000)];
    const before = await footprint(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => reportWithKey(key, payload, { photos })));

    expect(results.map((r) => r.status).sort()).toEqual([...Array<number>(19).fill(200), 201]);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];

    const { rows } = await t.sql.query<{ storage_key: string; thumb_key: string }>(
      'SELECT storage_key, thumb_key FROM attachments WHERE issue_id = $1',
      [id],
    );
    expect(rows).toHaveLength(photos.length);
    const after = await footprint(t);
    expect(after.issues).toBe(before.issues + 1);
    expect(after.attachments).toBe(before.attachments + photos.length);
    // Exactly the stored photos and their thumbnails were added on disk: the losers removed theirs, and no temporary upload is left.
    expect(after.files.filter((f: string) => !before.files.includes(f)).sort()).toEqual(
      rows.flatMap((r) => [r.storage_key, r.thumb_key]).sort(),
    );
    for (const r of results) expect(r.body.attachments).toHaveLength(photos.length);
  });

  it('refuses the same key with a different body or different photos, writing nothing', async () => {
    const key = newKey();
    const payload = body();
    const first = await reportWithKey(key, payload, { photos: [fakeJpeg()] });
    expect(first.status).toBe(201);
    const before = await footprint(t);

    const otherBody = await reportWithKey(key, { ...payload, description: '另一件事' }, { photos: [fakeJpeg()] });
    expectApiError(otherBody, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(otherBody.body.details).toEqual({ issueId: first.body.id });
    const otherPhoto = await reportWithKey(key, payload, { photos: [fakeJpeg(4096)] });
    expectApiError(otherPhoto, 422, 'IDEMPOTENCY_KEY_REUSED');
    const noPhoto = await reportWithKey(key, payload);
    expectApiError(noPhoto, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await footprint(t)).toEqual(before);

    const same = await reportWithKey(key, payload, { photos: [fakeJpeg()] });
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(first.body.id);
  });

  it('the same key from another user is another report', async () => {
    const key = newKey();
    const payload = body();
    const mine = await reportWithKey(key, payload);
    const theirs = await reportWithKey(key, payload, { who: 'dispatcher' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.reporterId).toBe(cast.users.dispatcher!.id);
    // Each replays its own.
    const again = await reportWithKey(key, payload, { who: 'dispatcher' });
    expect([again.status, again.body.id]).toEqual([200, theirs.body.id]);
  });

  it('a retry after a server restart returns the same issue', async () => {
    const key = newKey();
    const payload = body();
    const first = await reportWithKey(key, payload, { photos: [fakeJpeg()] });
    expect(first.status).toBe(201);
    const before = await footprint(t);

    await t.restart();
    const retry = await reportWithKey(key, payload, { photos: [fakeJpeg()] });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ id: first.body.id, number: first.body.number, version: 1 });
    expect(await footprint(t)).toEqual(before);
  });

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'k'.repeat(129)],
    ['with a space', 'has a space'],
    ['Latin-1', 'clé-clé-clé'],
    ['UTF-8', Buffer.from('幂等键幂等键幂等键', 'utf8').toString('latin1')],
  ])('an invalid key (%s) is refused with 400 and writes nothing', async (_name, key) => {
    const before = await footprint(t);
    const res = await reportWithKey(key, body(), { photos: [fakeJpeg()] });
    expectApiError(res, 400, 'IDEMPOTENCY_KEY_INVALID');
    expect(await footprint(t)).toEqual(before);
  });

  it('with Prefer: return=minimal, a report and its replay answer with the receipt the phone keeps, not the detail', async () => {
    const key = newKey();
    const payload = body();
    const first = await reportWithKey(key, payload, { photos: [fakeJpeg()], prefer: 'return=minimal' });
    expect(first.status).toBe(201);
    expect(first.headers.get('preference-applied')).toBe('return=minimal');
    expect(first.body).toEqual({
      id: expect.any(Number),
      number: expect.stringMatching(/^GL-\d{8}-\d{6}$/),
      status: 'reported',
      version: 1,
    });

    const replay = await reportWithKey(key, payload, { photos: [fakeJpeg()], prefer: 'return=minimal' });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(replay.body).toEqual(first.body);

    // Without the preference the same replay is the detail view of the same issue.
    const detail = await reportWithKey(key, payload, { photos: [fakeJpeg()] });
    expect(detail.headers.get('preference-applied')).toBeNull();
    expect(detail.body).toMatchObject({ ...first.body, attachments: [expect.objectContaining({ kind: 'before' })] });
  });

  it('accepts keys of 8 and of 128 printable ASCII characters', async () => {
    for (const key of ['12345678', `~!@#$%^&*()_+{}|:"<>?${'k'.repeat(107)}`]) {
      expect(key.length === 8 || key.length === 128).toBe(true);
      const res = await reportWithKey(key, body());
      expect(res.status).toBe(201);
    }
  });
});

describe('reports without a key', () => {
  it('30 concurrent reports make 30 issues with 30 distinct numbers', async () => {
    const before = await footprint(t);
    const payload = body();
    const results = await Promise.all(Array.from({ length: 30 }, () => reportWithKey(undefined, payload)));
    expect(results.map((r) => r.status)).toEqual(Array<number>(30).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(30);
    const numbers = results.map((r) => r.body.number);
    expect(new Set(numbers).size).toBe(30);
    for (const n of numbers) expect(n).toMatch(/^GL-\d{8}-\d{6}$/);
    const after = await footprint(t);
    expect(after.issues).toBe(before.issues + 30);
    expect(after.events).toBe(before.events + 30);
  });
});
