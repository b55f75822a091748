import type { PoolClaimResult, PoolItemView, UserView, VolunteerHoursView, VolunteerRankingRow, VolunteerView } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, fakeJpeg, residentLogin } from './support/api-client';
import { expectApiError } from './support/checks';
import { loadCast, report, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import {
  communityId,
  drain,
  HOME_COMMUNITY_CODE,
  makeVolunteers,
  openItem,
  otherCommunityId,
  poolFootprint,
  slotsOf,
  sweep,
} from './support/pool';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * 群众点单 · 社区派单 · 党员接单 through the API: registration and approval (报到), raising,
 * publishing, claiming, the wait list, withdrawal, completion with a photo, confirmation and the
 * hours it credits; the timers (no-shows, expiry, the lottery draw); and every refusal, with its
 * stable code and nothing written.
 */
let t: TestApp;
let cast: Cast;
let home: number;
let other: number;
let res2: string;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  home = await communityId(t, HOME_COMMUNITY_CODE);
  other = await otherCommunityId(t);
  res2 = (await residentLogin(t.api, DEMO_RESIDENT_PHONES.res2)).accessToken;
});
afterAll(() => t?.close());

const post = <T = any>(path: string, body: unknown, token: string) => t.api.post<T>(`/api/v1${path}`, body, token);
const get = <T = any>(path: string, token: string) => t.api.get<T>(`/api/v1${path}`, token);

async function refusedWithoutWrites(call: () => Promise<{ status: number; body: any }>, status: number, code: string): Promise<void> {
  const before = await poolFootprint(t);
  const res = await call();
  expectApiError(res as never, status, code);
  expect(await poolFootprint(t)).toEqual(before);
}

describe('volunteers (报到)', () => {
  it('registers a resident, lets the community approve, suspend and reinstate them; the account becomes a volunteer', async () => {
    const reg = await post<VolunteerView>(
      '/volunteers/register',
      { name: '赵敏', communityId: home, skills: ['理发'], isPartyMember: true, employer: '区税务局' },
      res2,
    );
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ status: 'pending', communityId: home, isPartyMember: true, skills: ['理发'], hours: 0 });
    await refusedWithoutWrites(
      () => post('/volunteers/register', { name: '赵敏', communityId: home, skills: [], isPartyMember: false }, res2),
      409,
      'ALREADY_REGISTERED',
    );
    expect((await get<VolunteerView>('/volunteers/me', res2)).body.id).toBe(reg.body.id);

    // The community's dispatcher sees the pending registration first; a region role elsewhere does not.
    const pending = await get<VolunteerView[]>(`/volunteers?status=pending&communityId=${home}`, cast.tokens.dispatcher_s1!);
    expect(pending.body.map((v) => v.id)).toContain(reg.body.id);
    expect((await get<VolunteerView[]>(`/volunteers?communityId=${other}`, cast.tokens.dispatcher_s1!)).body).toEqual([]);
    expect((await get('/volunteers', cast.tokens.worker1!)).status).toBe(403);
    expect((await get('/volunteers', res2)).status).toBe(403);

    const approved = await post<VolunteerView>(`/volunteers/${reg.body.id}/approve`, {}, cast.tokens.dispatcher_s1!);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedAt: expect.any(String) });
    expect((await get<UserView>('/me', res2)).body.role).toBe('volunteer');
    await refusedWithoutWrites(
      () => post(`/volunteers/${reg.body.id}/approve`, {}, cast.tokens.dispatcher_s1!),
      409,
      'VOLUNTEER_STATUS_CONFLICT',
    );

    // Paused: sees the pool, claims nothing; reinstated: claims again.
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 2 });
    expect((await post(`/volunteers/${reg.body.id}/suspend`, {}, cast.tokens.dispatcher_s1!)).body.status).toBe('suspended');
    expect((await get(`/pool/${item.id}`, res2)).status).toBe(200);
    await refusedWithoutWrites(() => post(`/pool/${item.id}/claim`, {}, res2), 403, 'VOLUNTEER_NOT_APPROVED');
    await post(`/volunteers/${reg.body.id}/approve`, {}, cast.tokens.dispatcher_s1!);
    expect((await post<PoolClaimResult>(`/pool/${item.id}/claim`, {}, res2)).body.outcome).toBe('won');
    // A volunteer is still a resident: they report like one.
    const here = await gridCentre(t.api, cast.tokens.admin!, cast.gridId);
    const issue = await t.api.post(
      '/api/v1/issues',
      { categoryId: await residentCategory(), lat: here.latitude, lng: here.longitude, description: '志愿者发现路灯不亮' },
      res2,
    );
    expect(issue.status).toBe(201);
    expect(issue.body).toMatchObject({ source: 'resident', gridId: cast.gridId });
  });

  it('refuses bad registrations with stable codes and writes nothing', async () => {
    const [fresh] = await makeVolunteers(t, 1, home, { status: 'pending' });
    await t.sql.query('DELETE FROM volunteers WHERE id = $1', [fresh!.volunteerId]);
    const street = (await t.sql.query(`SELECT parent_id FROM regions WHERE id = $1`, [home])).rows[0].parent_id as number;
    await refusedWithoutWrites(
      () => post('/volunteers/register', { name: '甲', communityId: street, skills: [], isPartyMember: false }, fresh!.token),
      422,
      'COMMUNITY_INVALID',
    );
    await refusedWithoutWrites(
      () => post('/volunteers/register', { name: '', communityId: home, skills: [], isPartyMember: false }, fresh!.token),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutWrites(
      () =>
        post('/volunteers/register', { name: '甲', communityId: home, skills: Array(11).fill('x'), isPartyMember: false }, fresh!.token),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutWrites(
      () => post('/volunteers/register', { name: '甲', communityId: home, skills: [], isPartyMember: 'yes' }, fresh!.token),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutWrites(
      () => post('/volunteers/register', { name: '甲', communityId: home, skills: [], isPartyMember: false }, cast.tokens.worker1!),
      403,
      'FORBIDDEN_ROLE',
    );
    await refusedWithoutWrites(() => post('/volunteers/99999/approve', {}, cast.tokens.dispatcher_s1!), 404, 'VOLUNTEER_NOT_FOUND');
    // Another street's volunteer is not dispatcher_s1's to approve.
    const [elsewhere] = await makeVolunteers(t, 1, other, { status: 'pending' });
    await refusedWithoutWrites(
      () => post(`/volunteers/${elsewhere!.volunteerId}/approve`, {}, cast.tokens.dispatcher_s1!),
      404,
      'VOLUNTEER_NOT_FOUND',
    );
    await refusedWithoutWrites(
      () => t.api.request('PATCH', `/api/v1/volunteers/${elsewhere!.volunteerId}`, { token: cast.tokens.admin!, body: { weeklyCap: 0 } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

async function residentCategory(): Promise<number> {
  const list = (await get<{ id: number }[]>('/resident/categories', cast.tokens.res1!)).body;
  return list[0]!.id;
}

describe('the pool: 点单 → 派单 → 接单 → 完成 → 确认', () => {
  it('refuses service hours with too many decimals, in exponent form too, with 400 and writes nothing', async () => {
    for (const hours of [1.125, 1e-323, 5e-7]) {
      await refusedWithoutWrites(
        () =>
          post(
            '/pool',
            { kind: 'service', title: '陪同就医', description: '周三上午', communityId: home, hours },
            cast.tokens.dispatcher_s1!,
          ),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect(
      (
        await post(
          '/pool',
          { kind: 'service', title: '陪同就医', description: '周三上午', communityId: home, hours: 1.25 },
          cast.tokens.dispatcher_s1!,
        )
      ).status,
    ).toBe(201);
  });

  it('walks a wish from a resident through publish, claim, wait list, withdrawal, completion with a photo and confirmation', async () => {
    const [a, b, stranger] = [...(await makeVolunteers(t, 2, home)), ...(await makeVolunteers(t, 1, other))];
    const raised = await post<PoolItemView>(
      '/pool',
      { kind: 'wish', title: '想要一副老花镜', description: '看报纸看不清', communityId: home },
      cast.tokens.res1!,
    );
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ status: 'draft', quota: 1, claimedCount: 0, allowedActions: [] });
    const id = raised.body.id;
    // A draft is the raiser's and the community's: volunteers and other residents get 404.
    expect((await get(`/pool/${id}`, a!.token)).status).toBe(404);
    expect((await get(`/pool/${id}`, res2)).status).toBe(404);
    expect((await get<PoolItemView>(`/pool/${id}`, cast.tokens.dispatcher_s1!)).body.allowedActions).toEqual(['publish', 'cancel']);

    const published = await post<PoolItemView>(`/pool/${id}/publish`, {}, cast.tokens.dispatcher_s1!);
    expect(published.body).toMatchObject({ status: 'open', publishedAt: expect.any(String) });
    const list = await get<{ items: PoolItemView[] }>(`/pool?status=open&pageSize=100`, a!.token);
    expect(list.body.items.map((i) => i.id)).toContain(id);
    expect(list.body.items.every((i) => i.communityId === home)).toBe(true);
    // Another community's volunteer: not in their list, 404 on the item and on its actions.
    expect((await get<{ items: PoolItemView[] }>('/pool?pageSize=100', stranger!.token)).body.items.map((i) => i.id)).not.toContain(id);
    await refusedWithoutWrites(() => post(`/pool/${id}/claim`, {}, stranger!.token), 404, 'POOL_ITEM_NOT_FOUND');

    const won = await post<PoolClaimResult>(`/pool/${id}/claim`, {}, a!.token);
    expect(won.status).toBe(201);
    expect(won.body).toMatchObject({
      outcome: 'won',
      claim: { status: 'active', startBy: expect.any(String) },
      item: { status: 'claimed', claimedCount: 1 },
    });
    // A repeated claim returns the same claim, writes nothing.
    const before = await poolFootprint(t);
    const again = await post<PoolClaimResult>(`/pool/${id}/claim`, {}, a!.token);
    expect(again.status).toBe(200);
    expect(again.body.claim.id).toBe(won.body.claim.id);
    expect(await poolFootprint(t)).toEqual(before);

    await refusedWithoutWrites(() => post(`/pool/${id}/claim`, {}, b!.token), 409, 'POOL_FULL');
    const queued = await post<PoolClaimResult>(`/pool/${id}/waitlist`, {}, b!.token);
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ outcome: 'waitlisted', claim: { status: 'waitlisted', position: 1 } });

    // The claimer withdraws: the slot goes to the next on the wait list at once.
    const withdrawn = await post<PoolItemView>(`/pool/${id}/withdraw`, {}, a!.token);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'claimed', claimedCount: 1, myClaim: { status: 'withdrawn' } });
    const promoted = await get<PoolItemView>(`/pool/${id}`, b!.token);
    expect(promoted.body.myClaim).toMatchObject({ status: 'active' });
    expect(promoted.body.allowedActions).toEqual(['start', 'withdraw', 'complete']);

    await refusedWithoutWrites(() => post(`/pool/${id}/complete`, { note: '' }, b!.token), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post(`/pool/${id}/complete`, { note: '送到了' }, a!.token), 409, 'POOL_ACTION_NOT_ALLOWED');
    expect((await post<PoolItemView>(`/pool/${id}/start`, {}, b!.token)).body.myClaim?.startedAt).toEqual(expect.any(String));
    const done = await t.api.request<PoolItemView>('POST', `/api/v1/pool/${id}/complete`, {
      token: b!.token,
      body: { note: '已送到王奶奶家，试戴合适' },
      photos: [{ bytes: fakeJpeg() }],
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'done',
      myClaim: { status: 'done', note: '已送到王奶奶家，试戴合适', photoIds: [expect.any(Number)] },
    });
    const photoId = done.body.myClaim!.photoIds[0]!;
    const photo = await t.api.request('GET', `/api/v1/pool/photos/${photoId}?size=thumb`, { token: cast.tokens.res1! });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/webp');
    expect((await t.api.request('GET', `/api/v1/pool/photos/${photoId}`, { token: stranger!.token })).status).toBe(404);

    // Confirmation: by the raiser (not by a volunteer who did not raise it), with a 1–5 score.
    await refusedWithoutWrites(() => post(`/pool/${id}/confirm`, { score: 6 }, cast.tokens.res1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post(`/pool/${id}/confirm`, { score: 5 }, b!.token), 403, 'FORBIDDEN_RELATION');
    await refusedWithoutWrites(() => post(`/pool/${id}/confirm`, { score: 5 }, stranger!.token), 404, 'POOL_ITEM_NOT_FOUND');
    const confirmed = await post<PoolItemView>(`/pool/${id}/confirm`, { score: 5 }, cast.tokens.res1!);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', score: 5, allowedActions: [] });
    await refusedWithoutWrites(() => post(`/pool/${id}/confirm`, { score: 4 }, cast.tokens.res1!), 409, 'POOL_ACTION_NOT_ALLOWED');

    // 公益时: credited once, to the one who did it, in the ledger; the ranking counts it.
    const hours = await get<VolunteerHoursView>('/volunteers/me/hours', b!.token);
    expect(hours.body).toMatchObject({ total: 1, rank: expect.any(Number), entries: [{ itemId: id, hours: 1 }] });
    expect((await get<VolunteerHoursView>('/volunteers/me/hours', a!.token)).body.total).toBe(0);
    const ranking = await get<VolunteerRankingRow[]>(`/volunteers/ranking?communityId=${home}`, b!.token);
    expect(ranking.body.find((r) => r.volunteerId === b!.volunteerId)).toMatchObject({ hours: 1, tasks: 1 });
    expect((await get(`/volunteers/ranking?communityId=${home}`, stranger!.token)).status).toBe(404);
    // The ledger is append-only, whoever asks.
    await expect(t.sql.query('UPDATE volunteer_hours SET hours = 100')).rejects.toThrow(/append-only/);

    // Each step wrote its event in the outbox, in order, with ids and no names.
    await drain(t);
    const { rows } = await t.sql.query(`SELECT type, data FROM event_archive WHERE data->>'poolItemId' = $1 ORDER BY position`, [
      String(id),
    ]);
    expect(rows.map((r) => r.type)).toEqual([
      'pool.published',
      'pool.claimed',
      'pool.waitlisted',
      'pool.withdrawn',
      'pool.promoted',
      'pool.started',
      'pool.completed',
      'pool.confirmed',
    ]);
    expect(rows.at(-1)!.data).toMatchObject({ communityId: home, fromStatus: 'done', toStatus: 'confirmed', action: 'confirm' });
    expect(JSON.stringify(rows)).not.toMatch(/王奶奶|老花镜|name/);
  });

  it('lets the community raise in its own communities only, and refuses bad items with nothing written', async () => {
    const good = { kind: 'service', title: '帮忙搬家', description: '周六上午搬几件家具', communityId: home };
    await refusedWithoutWrites(() => post('/pool', { ...good, communityId: other }, cast.tokens.dispatcher_s1!), 404, 'NOT_FOUND');
    await refusedWithoutWrites(() => post('/pool', { ...good, communityId: cast.gridId }, cast.tokens.res1!), 422, 'COMMUNITY_INVALID');
    await refusedWithoutWrites(() => post('/pool', { ...good, quota: 0 }, cast.tokens.dispatcher_s1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post('/pool', { ...good, quota: 51 }, cast.tokens.dispatcher_s1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post('/pool', { ...good, kind: 'errand' }, cast.tokens.res1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(
      () => post('/pool', { ...good, neededBy: '2020-01-01T00:00:00Z' }, cast.tokens.res1!),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutWrites(() => post('/pool', { ...good, popular: true }, cast.tokens.res1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post('/pool', { ...good, extra: 1 }, cast.tokens.res1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post('/pool', good, cast.tokens.worker1!), 403, 'FORBIDDEN_ROLE');
    await refusedWithoutWrites(() => post('/pool', good, cast.tokens.lead1!), 403, 'FORBIDDEN_ROLE');

    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home });
    await refusedWithoutWrites(() => post(`/pool/${item.id}/publish`, {}, cast.tokens.dispatcher_s1!), 409, 'POOL_ACTION_NOT_ALLOWED');
    await refusedWithoutWrites(() => post(`/pool/${item.id}/publish`, {}, cast.tokens.res1!), 403, 'FORBIDDEN_ROLE');
    await refusedWithoutWrites(() => post(`/pool/${item.id}/claim`, {}, cast.tokens.res1!), 403, 'FORBIDDEN_ROLE');
    await refusedWithoutWrites(() => post(`/pool/${item.id}/claim`, {}, cast.tokens.dispatcher!), 403, 'FORBIDDEN_ROLE');
    await refusedWithoutWrites(() => post(`/pool/${item.id}/withdraw`, {}, cast.tokens.vol1!), 409, 'POOL_ACTION_NOT_ALLOWED');
    await refusedWithoutWrites(() => post('/pool/2147483648/claim', {}, cast.tokens.vol1!), 400, 'VALIDATION_FAILED');
    await refusedWithoutWrites(() => post('/pool/99999/claim', {}, cast.tokens.vol1!), 404, 'POOL_ITEM_NOT_FOUND');
    expect((await get('/pool?status=nope', cast.tokens.vol1!)).status).toBe(400);
    expect((await get('/pool?pageSize=101', cast.tokens.vol1!)).status).toBe(400);

    // Cancelled by the community: live claims end, the slots are free, nothing more can happen.
    const [v] = await makeVolunteers(t, 1, home);
    await post(`/pool/${item.id}/claim`, {}, v!.token);
    const cancelled = await post<PoolItemView>(`/pool/${item.id}/cancel`, {}, cast.tokens.dispatcher_s1!);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', claimedCount: 0 });
    expect((await get<PoolItemView>(`/pool/${item.id}`, v!.token)).body.myClaim?.status).toBe('cancelled');
    await refusedWithoutWrites(() => post(`/pool/${item.id}/complete`, { note: 'x' }, v!.token), 409, 'POOL_ACTION_NOT_ALLOWED');
  });

  it('turns an issue into a service need (转为服务需求), once', async () => {
    const issue = await report(t.api, cast);
    const made = await post<PoolItemView>(`/pool/from-issue/${issue.id}`, { quota: 2 }, cast.tokens.dispatcher!);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'service', status: 'draft', issueId: issue.id, communityId: home, quota: 2 });
    await refusedWithoutWrites(() => post(`/pool/from-issue/${issue.id}`, {}, cast.tokens.dispatcher!), 409, 'POOL_ITEM_EXISTS');
    await refusedWithoutWrites(() => post(`/pool/from-issue/${issue.id}`, {}, cast.tokens.worker1!), 403, 'FORBIDDEN_ROLE');
    await refusedWithoutWrites(() => post('/pool/from-issue/99999', {}, cast.tokens.dispatcher!), 404, 'ISSUE_NOT_FOUND');
  });

  it('shows residents only what they raised, dispatchers their region, viewers read-only', async () => {
    const mine = (await get<{ items: PoolItemView[] }>('/pool?pageSize=100', cast.tokens.res1!)).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.raisedBy === cast.users.res1!.id)).toBe(true);
    // Another resident (a pending registration keeps them a resident) sees none of res1's.
    const [otherResident] = await makeVolunteers(t, 1, home, { status: 'pending' });
    const theirs = (await get<{ items: PoolItemView[] }>('/pool?pageSize=100', otherResident!.token)).body.items;
    expect(theirs).toEqual([]);
    expect((await get(`/pool/${mine[0]!.id}`, otherResident!.token)).status).toBe(404);
    const seeded = (
      await get<{ items: PoolItemView[]; total: number }>(`/pool?communityId=${home}&pageSize=100`, cast.tokens.dispatcher_s1!)
    ).body;
    // The demo pool has an item in every state.
    expect(new Set(seeded.items.map((i) => i.status))).toEqual(
      new Set(['draft', 'open', 'claimed', 'done', 'confirmed', 'cancelled', 'expired']),
    );
    expect((await get<{ total: number }>(`/pool?communityId=${other}`, cast.tokens.dispatcher_s1!)).body.total).toBe(0);
    const viewerSees = (await get<{ items: PoolItemView[] }>('/pool?pageSize=5', cast.tokens.viewer!)).body.items;
    expect(viewerSees.length).toBeGreaterThan(0);
    expect(viewerSees.every((i) => i.allowedActions.length === 0)).toBe(true);
    expect((await get('/pool', cast.tokens.lead1!)).status).toBe(403);
  });
});

describe('cancelling an item with work already done', () => {
  // The property test's shrunk counterexample (quota 2: one claim done, then the item cancelled):
  // the cancel zeroed the slot counter while the done claim still held its slot.
  it('ends the live claims, keeps the done one and its slot', async () => {
    const [a, b] = await makeVolunteers(t, 2, home);
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 3 });
    expect((await post(`/pool/${item.id}/claim`, {}, a!.token)).status).toBe(201);
    expect((await post(`/pool/${item.id}/claim`, {}, b!.token)).status).toBe(201);
    expect((await post(`/pool/${item.id}/complete`, { note: '完成' }, a!.token)).status).toBe(200);
    const cancelled = await post<PoolItemView>(`/pool/${item.id}/cancel`, {}, cast.tokens.dispatcher_s1!);
    expect(cancelled.status).toBe(200);
    expect(await slotsOf(t, item.id)).toEqual({ counter: 1, holding: 1, status: 'cancelled' });
    expect((await get<PoolItemView>(`/pool/${item.id}`, a!.token)).body.myClaim?.status).toBe('done');
    expect((await get<PoolItemView>(`/pool/${item.id}`, b!.token)).body.myClaim?.status).toBe('cancelled');
  });
});

describe('timers and fairness', () => {
  it('expires a claim not started by its deadline (a no-show), frees the slot and promotes the wait list', async () => {
    const [a, b] = await makeVolunteers(t, 2, home);
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, startWithinMinutes: 30 });
    await post(`/pool/${item.id}/claim`, {}, a!.token);
    await post(`/pool/${item.id}/waitlist`, {}, b!.token);
    t.clock.advance(29 * 60_000);
    await sweep(t);
    expect((await get<PoolItemView>(`/pool/${item.id}`, a!.token)).body.myClaim?.status).toBe('active');
    t.clock.advance(2 * 60_000);
    await sweep(t);
    expect((await get<PoolItemView>(`/pool/${item.id}`, a!.token)).body.myClaim?.status).toBe('expired');
    expect((await get<PoolItemView>(`/pool/${item.id}`, b!.token)).body.myClaim?.status).toBe('active');
    expect((await t.sql.query('SELECT no_shows FROM volunteers WHERE id = $1', [a!.volunteerId])).rows[0].no_shows).toBe(1);
    expect(await slotsOf(t, item.id)).toEqual({ counter: 1, holding: 1, status: 'claimed' });
    // Fired once: a second sweep changes nothing.
    const before = await poolFootprint(t);
    await sweep(t);
    expect(await poolFootprint(t)).toEqual(before);
  });

  it('expires an item nobody took by its neededBy', async () => {
    const neededBy = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, neededBy });
    t.clock.advance(3_600_000 + 1000);
    await sweep(t);
    expect((await get<PoolItemView>(`/pool/${item.id}`, cast.tokens.dispatcher_s1!)).body.status).toBe('expired');
  });

  it('draws a popular item’s winners at the end of its lottery window; the rest wait in drawn order', async () => {
    const vols = await makeVolunteers(t, 6, home);
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 2, popular: true, lotterySeconds: 30 });
    expect(item.lotteryEndsAt).toEqual(expect.any(String));
    for (const v of vols) {
      const res = await post<PoolClaimResult>(`/pool/${item.id}/claim`, {}, v.token);
      expect([res.status, res.body.outcome]).toEqual([201, 'entered']);
    }
    expect(await slotsOf(t, item.id)).toEqual({ counter: 0, holding: 0, status: 'open' });
    t.clock.advance(31_000);
    await sweep(t);
    const claims = (
      await t.sql.query(`SELECT status, count(*)::int AS n FROM pool_claims WHERE item_id = $1 GROUP BY status ORDER BY status`, [item.id])
    ).rows;
    expect(claims).toEqual([
      { status: 'active', n: 2 },
      { status: 'waitlisted', n: 4 },
    ]);
    expect(await slotsOf(t, item.id)).toEqual({ counter: 2, holding: 2, status: 'claimed' });
    // After the window, a claim is an ordinary one: full now.
    const [late] = await makeVolunteers(t, 1, home);
    await refusedWithoutWrites(() => post(`/pool/${item.id}/claim`, {}, late!.token), 409, 'POOL_FULL');
  });

  it('holds a volunteer to their weekly cap', async () => {
    const [v] = await makeVolunteers(t, 1, home, { weeklyCap: 1 });
    const first = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home });
    const second = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home });
    expect((await post(`/pool/${first.id}/claim`, {}, v!.token)).status).toBe(201);
    await refusedWithoutWrites(() => post(`/pool/${second.id}/claim`, {}, v!.token), 409, 'WEEKLY_CAP_REACHED');
    const lifted = await t.api.request<VolunteerView>('PATCH', `/api/v1/volunteers/${v!.volunteerId}`, {
      token: cast.tokens.dispatcher_s1!,
      body: { weeklyCap: null },
    });
    expect(lifted.body.weeklyCap).toBeNull();
    expect((await post(`/pool/${second.id}/claim`, {}, v!.token)).status).toBe(201);
  });
});
