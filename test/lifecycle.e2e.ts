import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import type { CategoryView, IssueDetail, IssueEventView, IssueStatus } from '@gridline/shared';
import { fakeJpeg, fakePng, type ApiResponse } from './support/api-client';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Issues walked through their whole life over HTTP, as the apps would drive them. */
let t: TestApp;
let cast: Cast;
let categories: CategoryView[];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  categories = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.worker1)).body;
});
afterAll(() => t?.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shanghaiDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .replaceAll('-', '');

/** A JPEG whose bytes differ from every other one made here. */
let photoSeq = 0;
function uniqueJpeg(size = 4096): Buffer {
  const bytes = fakeJpeg(size);
  bytes.writeUInt32BE(++photoSeq, 20);
  return bytes;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Everything an action could write about an issue, to show a refusal wrote nothing. */
async function footprint(issueId: number) {
  const { rows } = await t.sql.query(
    `SELECT i.version, i.status, i.department_id, i.assignee_id, i.merged_into_id,
            (SELECT count(*)::int FROM issue_events WHERE issue_id = i.id) AS events,
            (SELECT count(*)::int FROM attachments WHERE issue_id = i.id) AS attachments,
            (SELECT count(*)::int FROM evaluations WHERE issue_id = i.id) AS evaluations
       FROM issues i WHERE i.id = $1`,
    [issueId],
  );
  return { ...rows[0], files: filesUnder(t.config.uploadDir).length };
}

function expectError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
}

const actRaw = (token: string, issue: { id: number; version: number }, action: string, body: object = {}, photos?: Buffer[]) =>
  t.api.request('POST', `/api/v1/issues/${issue.id}/actions/${action}`, {
    token,
    body: { version: issue.version, ...body },
    photos: photos?.map((bytes) => ({ bytes })),
  });

const detail = (id: number, who: string) => t.api.get<IssueDetail>(`/api/v1/issues/${id}`, cast.tokens[who]);

describe('an issue from report to evaluation', () => {
  const before = [uniqueJpeg(3000), uniqueJpeg(5000)];
  const after = uniqueJpeg(7000);
  let issue: IssueDetail;
  const versions: number[] = [];
  /** [action, actor, from, to] in the order taken. */
  const taken: [string, string, IssueStatus | null, IssueStatus][] = [];

  async function step(who: string, action: string, from: IssueStatus, to: IssueStatus, body: object = {}, photos?: Buffer[]) {
    issue = await act(t.api, cast.tokens[who]!, issue, action, body, photos);
    expect(issue.status).toBe(to);
    versions.push(issue.version);
    taken.push([action, who, from, to]);
  }

  beforeAll(async () => {
    const res = await t.api.request<IssueDetail>('POST', '/api/v1/issues', {
      token: cast.tokens.worker1,
      body: { categoryId: cast.category.id, gridId: cast.gridId, description: '小区门口垃圾堆积，气味明显', address: '幸福路 12 号' },
      photos: before.map((bytes, i) => ({ bytes, name: `before-${i + 1}.jpg` })),
    });
    expect(res.status).toBe(201);
    issue = res.body;
    versions.push(issue.version);
    taken.push(['report', 'worker1', null, 'reported']);
  });

  it('is reported by worker1 with two photos: numbered by the Shanghai day, version 1', () => {
    expect(issue.number).toMatch(/^GL-\d{8}-\d{6}$/);
    expect(issue.number.slice(3, 11)).toBe(shanghaiDay(new Date(issue.reportedAt)));
    expect(issue).toMatchObject({
      status: 'reported',
      version: 1,
      reporterId: cast.users.worker1!.id,
      gridId: cast.gridId,
      source: 'grid_worker',
    });
    expect(issue.allowedActions).toEqual(['resolve_on_site']);
    expect(issue.attachments.map((a) => a.kind)).toEqual(['before', 'before']);
  });

  it('offers the dispatcher accept, reject, merge, supervise and reclassify', async () => {
    const res = await detail(issue.id, 'dispatcher');
    expect(res.status).toBe(200);
    expect([...res.body.allowedActions].sort()).toEqual(['accept', 'merge', 'reclassify', 'reject', 'supervise']);
  });

  it('is accepted, and the suggested department is lead1’s', async () => {
    await step('dispatcher', 'accept', 'reported', 'accepted');
    const res = await detail(issue.id, 'dispatcher');
    expect(res.body.suggestedDepartmentId).toBe(cast.departmentId);
    expect(res.body.allowedActions).toContain('dispatch');
  });

  it('is dispatched and signed by lead1 for staff1', async () => {
    await step('dispatcher', 'dispatch', 'accepted', 'dispatched', { departmentId: cast.departmentId });
    expect(issue.departmentId).toBe(cast.departmentId);
    await step('lead1', 'sign', 'dispatched', 'in_progress', { assigneeId: cast.users.staff1!.id });
    expect(issue.assigneeId).toBe(cast.users.staff1!.id);
    expect((await detail(issue.id, 'staff1')).body.allowedActions).toEqual(['resolve', 'request_info']);
  });

  it('gets an extension lead1 asked for and the dispatcher approved', async () => {
    await step('lead1', 'request_extension', 'in_progress', 'in_progress', { minutes: 120, reason: '需要协调环卫车辆' });
    expect(issue.extensionRequests).toEqual([
      expect.objectContaining({ minutes: 120, status: 'pending', requestedById: cast.users.lead1!.id }),
    ]);
    await step('dispatcher', 'decide_extension', 'in_progress', 'in_progress', { approve: true, note: '同意' });
    expect(issue.extensionRequests).toEqual([
      expect.objectContaining({ minutes: 120, status: 'approved', decidedById: cast.users.dispatcher!.id, decidedAt: expect.any(String) }),
    ]);
  });

  it('is supervised, resolved with an after-photo, reopened and resolved again', async () => {
    await step('dispatcher', 'supervise', 'in_progress', 'in_progress', { note: '请今日内处置' });
    await step('staff1', 'resolve', 'in_progress', 'resolved', { note: '已清运' }, [after]);
    expect([...(await detail(issue.id, 'worker1')).body.allowedActions].sort()).toEqual(['reopen', 'verify']);
    await step('worker1', 'reopen', 'resolved', 'in_progress', { reason: '现场仍有残留垃圾' });
    expect(issue).toMatchObject({ departmentId: cast.departmentId, assigneeId: cast.users.staff1!.id, resolvedAt: null });
    await step('staff1', 'resolve', 'in_progress', 'resolved', { note: '残留垃圾已清理' });
  });

  it('is verified closed by worker1 and evaluated once', async () => {
    await step('worker1', 'verify', 'resolved', 'closed', { note: '现场核查通过' });
    expect(issue.closedAt).not.toBeNull();
    expect(issue.allowedActions).toEqual(['evaluate']);
    await step('worker1', 'evaluate', 'closed', 'closed', { score: 5, comment: '处置及时' });

    const again = await actRaw(cast.tokens.worker1!, issue, 'evaluate', { score: 4 });
    expectError(again, 409, 'ALREADY_EVALUATED');
    const { rows } = await t.sql.query('SELECT score FROM evaluations WHERE issue_id = $1', [issue.id]);
    expect(rows).toEqual([{ score: 5 }]);
  });

  it('went up one version per action', () => {
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('has a timeline of exactly one event per action, in order, with actor, statuses and time', async () => {
    const res = await t.api.get<IssueEventView[]>(`/api/v1/issues/${issue.id}/events`, cast.tokens.worker1);
    expect(res.status).toBe(200);
    const timeline = res.body;
    expect(timeline.map((e) => [e.type, e.actorId, e.actorName, e.fromStatus, e.toStatus])).toEqual(
      taken.map(([action, who, from, to]) => [action, cast.users[who]!.id, cast.users[who]!.displayName, from, to]),
    );
    const times = timeline.map((e) => Date.parse(e.at));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(timeline.find((e) => e.type === 'reopen')!.note).toBe('现场仍有残留垃圾');
    // The detail carries the same timeline.
    expect((await detail(issue.id, 'dispatcher')).body.timeline).toEqual(timeline);
  });

  it('lists the photos with kind, type and size in pixels, on the issue and on their events', async () => {
    const { body } = await detail(issue.id, 'worker1');
    expect(body.attachments.map(({ kind, mimeType, width, height }) => ({ kind, mimeType, width, height }))).toEqual(
      ['before', 'before', 'after'].map((kind) => ({ kind, mimeType: 'image/jpeg', width: 16, height: 16 })),
    );
    const reportEvent = body.timeline.find((e) => e.type === 'report')!;
    const firstResolve = body.timeline.find((e) => e.type === 'resolve')!;
    expect(reportEvent.attachments.map((a) => a.id)).toEqual(body.attachments.slice(0, 2).map((a) => a.id));
    expect(firstResolve.attachments.map((a) => a.id)).toEqual([body.attachments[2]!.id]);
    expect(reportEvent.attachments).toEqual(body.attachments.slice(0, 2));
  });

  it('serves each photo re-encoded (its listed hash and size), and its thumbnail, with nosniff to those who may see the issue, and 404 to others', async () => {
    const { body } = await detail(issue.id, 'worker1');
    const originals = [...before, after];
    for (const [i, a] of body.attachments.entries()) {
      expect(a.url).toBe(`/api/v1/attachments/${a.id}`);
      expect(a.thumbUrl).toBe(`/api/v1/attachments/${a.id}?size=thumb`);
      const res = await fetch(`${t.baseUrl}${a.url}`, { headers: { authorization: `Bearer ${cast.tokens.worker1}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const served = Buffer.from(await res.arrayBuffer());
      expect({ sha256: sha256(served), sizeBytes: served.length }).toEqual({ sha256: a.sha256, sizeBytes: a.sizeBytes });
      // The comment padding the test put in is gone: the photo was re-encoded, not copied.
      expect(served.length).toBeLessThan(originals[i]!.length);
      const thumb = await fetch(`${t.baseUrl}${a.thumbUrl}`, { headers: { authorization: `Bearer ${cast.tokens.worker1}` } });
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      expect(
        Buffer.from(await thumb.arrayBuffer())
          .subarray(8, 12)
          .toString('latin1'),
      ).toBe('WEBP');
    }
    const other = await t.api.get(body.attachments[0]!.url, cast.tokens.lead2);
    expectError(other, 404, 'ATTACHMENT_NOT_FOUND');
    expectError(await t.api.get(body.attachments[0]!.thumbUrl, cast.tokens.lead2), 404, 'ATTACHMENT_NOT_FOUND');
    expectError(await t.api.get(`${body.attachments[0]!.url}?size=huge`, cast.tokens.worker1), 400, 'VALIDATION_FAILED');
    const anonymous = await t.api.get(body.attachments[0]!.url);
    expect(anonymous.status).toBe(401);
    expect((await t.api.get(body.attachments[0]!.thumbUrl)).status).toBe(401);
  });

  it('keeps the files on disk under random names, never the client’s', async () => {
    const { rows } = await t.sql.query<{ storage_key: string; thumb_key: string; sha256: string }>(
      'SELECT storage_key, thumb_key, sha256 FROM attachments WHERE issue_id = $1 ORDER BY id',
      [issue.id],
    );
    expect(rows).toHaveLength(3);
    const onDisk = filesUnder(t.config.uploadDir);
    for (const row of rows) {
      expect(onDisk).toContain(row.storage_key);
      expect(onDisk).toContain(row.thumb_key);
      expect(basename(row.storage_key)).toMatch(/^[0-9a-f]{32}$/);
      expect(sha256(readFileSync(join(t.config.uploadDir, row.storage_key)))).toBe(row.sha256);
    }
    expect(onDisk.filter((f) => /before|\.jpe?g$|\.part$/i.test(f))).toEqual([]);
  });
});

describe('issue numbers', () => {
  it('take the Asia/Shanghai day, even while it is still the day before in UTC', async () => {
    // Move the server clock to 20:00 UTC, which is 04:00 the next day in Shanghai.
    const now = new Date();
    const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 20));
    const shift = target.getTime() - now.getTime();
    t.clock.advance(shift);
    try {
      const issue = await report(t.api, cast);
      const utcDay = target.toISOString().slice(0, 10).replaceAll('-', '');
      expect(shanghaiDay(target)).not.toBe(utcDay);
      expect(issue.number).toMatch(new RegExp(`^GL-${shanghaiDay(target)}-\\d{6}$`));
    } finally {
      t.clock.advance(-shift);
    }
  });

  it('are distinct and increasing', async () => {
    const a = await report(t.api, cast);
    const b = await report(t.api, cast);
    expect(Number(b.number.slice(-6))).toBeGreaterThan(Number(a.number.slice(-6)));
  });
});

describe('return for re-dispatch', () => {
  it('lead1 returns an issue in progress: it goes back to accepted, out of the department, and is dispatched again', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    const res = await actRaw(cast.tokens.lead1!, issue, 'return', { reason: '不属于本部门职责' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: issue.id, status: 'accepted', version: issue.version + 1, visible: false });
    expectError(await detail(issue.id, 'lead1'), 404, 'ISSUE_NOT_FOUND');
    expectError(await detail(issue.id, 'staff1'), 404, 'ISSUE_NOT_FOUND');

    const seen = (await detail(issue.id, 'dispatcher')).body;
    expect(seen).toMatchObject({ status: 'accepted', departmentId: null, assigneeId: null, version: issue.version + 1 });
    expect(seen.timeline.at(-1)).toMatchObject({
      type: 'return',
      actorId: cast.users.lead1!.id,
      fromStatus: 'in_progress',
      toStatus: 'accepted',
      note: '不属于本部门职责',
    });
    expect(seen.allowedActions).toContain('dispatch');

    const again = await act(t.api, cast.tokens.dispatcher!, seen, 'dispatch', { departmentId: cast.departmentId });
    expect(again).toMatchObject({ status: 'dispatched', departmentId: cast.departmentId, assigneeId: null });
    expect((await detail(issue.id, 'lead1')).status).toBe(200);
  });

  it('a return needs a reason', async () => {
    const issue = await issueIn(t.api, cast, 'dispatched');
    const before = await footprint(issue.id);
    const res = await actRaw(cast.tokens.lead1!, issue, 'return', {});
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toContain('reason');
    expect(await footprint(issue.id)).toEqual(before);
  });
});

describe('reject and merge', () => {
  it('a rejected issue is terminal', async () => {
    const issue = await issueIn(t.api, cast, 'rejected');
    expect(issue.status).toBe('rejected');
    expect(issue.allowedActions).toEqual([]);
    expect(issue.timeline.at(-1)).toMatchObject({ type: 'reject', note: '不属于受理范围' });
    const before = await footprint(issue.id);
    expectError(await actRaw(cast.tokens.dispatcher!, issue, 'accept'), 409, 'ISSUE_ACTION_NOT_ALLOWED');
    expect(await footprint(issue.id)).toEqual(before);
  });

  it('merges a duplicate into another open issue, and refuses itself, rejected, merged and unknown targets', async () => {
    const duplicate = await report(t.api, cast);
    const rejected = await issueIn(t.api, cast, 'rejected');
    const merged = await issueIn(t.api, cast, 'merged');
    const primary = await issueIn(t.api, cast, 'accepted');
    const before = await footprint(duplicate.id);
    for (const target of [duplicate.id, rejected.id, merged.id, 99_999]) {
      const res = await actRaw(cast.tokens.dispatcher!, duplicate, 'merge', { primaryIssueId: target });
      expectError(res, 422, 'MERGE_TARGET_INVALID');
    }
    expect(await footprint(duplicate.id)).toEqual(before);

    const done = await act(t.api, cast.tokens.dispatcher!, duplicate, 'merge', { primaryIssueId: primary.id, note: '重复上报' });
    expect(done).toMatchObject({ status: 'merged', mergedIntoId: primary.id, version: 2, allowedActions: [] });
    expect(done.timeline.at(-1)).toMatchObject({
      type: 'merge',
      fromStatus: 'reported',
      toStatus: 'merged',
      data: { primaryIssueId: primary.id },
    });
  });
});

describe('suspend and resume', () => {
  it('the dispatcher puts an issue on hold and takes it off again', async () => {
    const issue = await issueIn(t.api, cast, 'in_progress');
    const held = await act(t.api, cast.tokens.dispatcher!, issue, 'suspend', { reason: '等待天气好转' });
    expect(held).toMatchObject({ status: 'suspended', version: issue.version + 1 });
    expect(held.allowedActions).toContain('resume');
    expectError(await actRaw(cast.tokens.staff1!, held, 'resolve', { note: '已处理' }), 409, 'ISSUE_ACTION_NOT_ALLOWED');
    const resumed = await act(t.api, cast.tokens.dispatcher!, held, 'resume');
    expect(resumed).toMatchObject({
      status: 'in_progress',
      version: issue.version + 2,
      departmentId: cast.departmentId,
      assigneeId: cast.users.staff1!.id,
    });
    expect(resumed.timeline.slice(-2).map((e) => [e.type, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['suspend', 'in_progress', 'suspended', '等待天气好转'],
      ['resume', 'suspended', 'in_progress', null],
    ]);
  });
});

describe('photos the rules require', () => {
  it('resolve_on_site needs an after-photo', async () => {
    const issue = await report(t.api, cast);
    const before = await footprint(issue.id);
    expectError(await actRaw(cast.tokens.worker1!, issue, 'resolve_on_site', { note: '现场已清理' }), 422, 'PHOTO_REQUIRED');
    expect(await footprint(issue.id)).toEqual(before);

    const photo = fakePng(1500);
    const done = await act(t.api, cast.tokens.worker1!, issue, 'resolve_on_site', { note: '现场已清理' }, [photo]);
    expect(done).toMatchObject({ status: 'resolved', version: 2, resolvedAt: expect.any(String) });
    expect(done.attachments).toEqual([expect.objectContaining({ kind: 'after', mimeType: 'image/png', width: 8, height: 8 })]);
    expect(done.timeline.at(-1)).toMatchObject({
      type: 'resolve_on_site',
      fromStatus: 'reported',
      toStatus: 'resolved',
      data: { onSite: true },
    });
  });

  it('a category that needs a photo on report is refused without one', async () => {
    const category = categories.find((c) => c.parentId !== null && c.photoRequiredOnReport);
    expect(category).toBeDefined();
    const count = async () =>
      (await t.sql.query('SELECT (SELECT count(*)::int FROM issues) AS issues, (SELECT count(*)::int FROM issue_events) AS events'))
        .rows[0];
    const before = await count();
    const body = { categoryId: category!.id, gridId: cast.gridId, description: '楼顶私自搭建彩钢棚' };
    const res = await t.api.post('/api/v1/issues', body, cast.tokens.worker1);
    expectError(res, 422, 'PHOTO_REQUIRED');
    expect(await count()).toEqual(before);

    const withPhoto = await t.api.request<IssueDetail>('POST', '/api/v1/issues', {
      token: cast.tokens.worker1,
      body,
      photos: [{ bytes: uniqueJpeg() }],
    });
    expect(withPhoto.status).toBe(201);
    expect(withPhoto.body.attachments).toHaveLength(1);
  });

  it('a category that needs a photo on resolve is refused without one, and nothing is written', async () => {
    const category = categories.find(
      (c) => c.parentId !== null && c.photoRequiredOnResolve && !c.photoRequiredOnReport && c.defaultDepartmentId === cast.departmentId,
    );
    expect(category).toBeDefined();
    const t0 = cast.tokens;
    let issue = await report(t.api, cast, { categoryId: category!.id, description: '窨井盖缺失，行人易跌落' });
    issue = await act(t.api, t0.dispatcher!, issue, 'accept');
    issue = await act(t.api, t0.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
    issue = await act(t.api, t0.lead1!, issue, 'sign', { assigneeId: cast.users.staff1!.id });

    const before = await footprint(issue.id);
    expectError(await actRaw(t0.staff1!, issue, 'resolve', { note: '已补装井盖' }), 422, 'PHOTO_REQUIRED');
    expect(await footprint(issue.id)).toEqual(before);

    const done = await act(t.api, t0.staff1!, issue, 'resolve', { note: '已补装井盖' }, [uniqueJpeg()]);
    expect(done).toMatchObject({ status: 'resolved', version: issue.version + 1 });
    expect(done.attachments.map((a) => a.kind)).toEqual(['after']);
    // The photo and its thumbnail.
    expect((await footprint(issue.id)).files).toBe(before.files + 2);
  });
});
