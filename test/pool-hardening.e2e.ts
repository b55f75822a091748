import type { EventPage, PoolClaimResult, PoolEventData, PoolItemView, VolunteerView } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, residentLogin } from './support/api-client';
import { expectApiError } from './support/checks';
import { loadCast, report, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { communityId, drain, HOME_COMMUNITY_CODE, makeVolunteers, openItem, slotsOf } from './support/pool';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The pool's weak points, closed: a suspension ends the volunteer's unfinished claims (slots
 * reopen, wait lists move up) and no claim slips in behind it; a volunteer's weekly cap holds
 * against their own concurrent claims; registration and approval write domain events and audit
 * rows; pool events carry the grid. And what the resident's 点单 screen needs of the API: their
 * own items only, who came (masked), the completion, and a confirmation with a comment.
 */
let t: TestApp;
let cast: Cast;
let home: number;
let res2: string;
let newcomer: string;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  home = await communityId(t, HOME_COMMUNITY_CODE);
  res2 = (await residentLogin(t.api, DEMO_RESIDENT_PHONES.res2)).accessToken;
  newcomer = (await residentLogin(t.api, '13966660045')).accessToken; // a first-time resident: the code signs them up
});
afterAll(() => t?.close());

const post = <T = any>(path: string, body: unknown, token: string) => t.api.post<T>(`/api/v1${path}`, body, token);
const get = <T = any>(path: string, token: string) => t.api.get<T>(`/api/v1${path}`, token);

async function claimsOf(volunteerId: number): Promise<{ itemId: number; status: string }[]> {
  const { rows } = await t.sql.query(`SELECT item_id AS "itemId", status FROM pool_claims WHERE volunteer_id = $1 ORDER BY item_id, id`, [
    volunteerId,
  ]);
  return rows;
}

describe('suspending a volunteer', () => {
  it('ends their unfinished claims in the same change: slots reopen, the wait list moves up, done work stays', async () => {
    const [a, b, c] = await makeVolunteers(t, 3, home);
    const held = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 1 });
    const shared = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 2 });
    const queued = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 1 });
    const finished = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, quota: 1 });
    // a holds `held` (b waits behind), one of two slots of `shared`, a wait-list place on `queued` (c holds it), and finished `finished`.
    expect((await post(`/pool/${held.id}/claim`, {}, a!.token)).status).toBe(201);
    expect((await post(`/pool/${held.id}/waitlist`, {}, b!.token)).status).toBe(201);
    expect((await post(`/pool/${shared.id}/claim`, {}, a!.token)).status).toBe(201);
    expect((await post(`/pool/${shared.id}/claim`, {}, c!.token)).status).toBe(201);
    expect((await post(`/pool/${queued.id}/claim`, {}, c!.token)).status).toBe(201);
    expect((await post(`/pool/${queued.id}/waitlist`, {}, a!.token)).status).toBe(201);
    expect((await post(`/pool/${finished.id}/claim`, {}, a!.token)).status).toBe(201);
    expect((await post(`/pool/${finished.id}/complete`, { note: '已完成' }, a!.token)).status).toBe(200);

    const suspended = await post<VolunteerView>(`/volunteers/${a!.volunteerId}/suspend`, {}, cast.tokens.dispatcher_s1!);
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');

    expect(await claimsOf(a!.volunteerId)).toEqual([
      { itemId: held.id, status: 'cancelled' },
      { itemId: shared.id, status: 'cancelled' },
      { itemId: queued.id, status: 'lost' },
      { itemId: finished.id, status: 'done' },
    ]);
    // The slot a held went to the next on the wait list; the other item has a slot open again.
    expect((await get<PoolItemView>(`/pool/${held.id}`, b!.token)).body.myClaim).toMatchObject({ status: 'active' });
    expect(await slotsOf(t, held.id)).toEqual({ counter: 1, holding: 1, status: 'claimed' });
    expect(await slotsOf(t, shared.id)).toEqual({ counter: 1, holding: 1, status: 'open' });
    expect(await slotsOf(t, queued.id)).toEqual({ counter: 1, holding: 1, status: 'claimed' });
    expect(await slotsOf(t, finished.id)).toEqual({ counter: 1, holding: 1, status: 'done' });
    // Its start timers will not fire for the ended claims.
    const { rows: timers } = await t.sql.query(
      `SELECT count(*)::int AS n FROM pool_timers tm JOIN pool_claims c ON c.id = tm.claim_id
        WHERE c.volunteer_id = $1 AND c.status IN ('cancelled','lost') AND tm.fired_at IS NULL`,
      [a!.volunteerId],
    );
    expect(timers[0].n).toBe(0);

    // Events: each freed slot, the promotion, then the suspension naming the ended claims; one audit row.
    await drain(t);
    const { rows } = await t.sql.query(
      `SELECT type, data FROM event_archive
        WHERE (type LIKE 'pool.%' AND (data->>'poolItemId')::int = ANY($1::int[]) AND data->>'action' IN ('suspend','promote'))
           OR (type LIKE 'volunteer.%' AND (data->>'volunteerId')::int = $2)
        ORDER BY position`,
      [[held.id, shared.id, queued.id], a!.volunteerId],
    );
    expect(rows.map((r) => [r.type, r.data.poolItemId ?? null])).toEqual([
      ['pool.withdrawn', held.id],
      ['pool.promoted', held.id],
      ['pool.withdrawn', shared.id],
      ['volunteer.suspended', null],
    ]);
    expect(rows[0].data).toMatchObject({ action: 'suspend', volunteerId: a!.volunteerId, claimStatus: 'cancelled', communityId: home });
    expect(rows[1].data).toMatchObject({ volunteerId: b!.volunteerId, claimStatus: 'active' });
    expect(rows[3].data).toMatchObject({
      fromStatus: 'approved',
      status: 'suspended',
      communityId: home,
      endedClaimIds: expect.any(Array),
    });
    expect(rows[3].data.endedClaimIds).toHaveLength(3);
    const { rows: audit } = await t.sql.query(
      `SELECT action, before->>'status' AS "from", after->>'status' AS "to", actor_id AS "actorId" FROM admin_audit
        WHERE entity_type = 'volunteer' AND entity_id = $1 ORDER BY id`,
      [String(a!.volunteerId)],
    );
    expect(audit).toEqual([{ action: 'suspend', from: 'approved', to: 'suspended', actorId: cast.users.dispatcher_s1!.id }]);
  });

  it('lets no claim slip in behind a suspension, however the two interleave', async () => {
    const [v] = await makeVolunteers(t, 1, home);
    const items = await Promise.all(Array.from({ length: 12 }, () => openItem(t, cast.tokens.dispatcher_s1!, { communityId: home })));
    const claims = items.map((i) => post<PoolClaimResult>(`/pool/${i.id}/claim`, {}, v!.token));
    const suspension = post(`/volunteers/${v!.volunteerId}/suspend`, {}, cast.tokens.dispatcher_s1!);
    const answers = await Promise.all(claims);
    expect((await suspension).status).toBe(200);
    for (const a of answers) expect([201, 403]).toContain(a.status);
    // Whatever won before the suspension was ended by it; nothing won after it.
    const live = (await claimsOf(v!.volunteerId)).filter((c) => c.status === 'active');
    expect(live).toEqual([]);
    for (const i of items) expect(await slotsOf(t, i.id)).toEqual({ counter: 0, holding: 0, status: 'open' });
  });
});

describe('the weekly cap', () => {
  it('holds against one volunteer’s concurrent claims on different items', async () => {
    const [v] = await makeVolunteers(t, 1, home, { weeklyCap: 2 });
    const items = await Promise.all(Array.from({ length: 16 }, () => openItem(t, cast.tokens.dispatcher_s1!, { communityId: home })));
    const answers = await Promise.all(items.map((i) => post(`/pool/${i.id}/claim`, {}, v!.token)));
    const codes = answers.map((a) => (a.status === 201 ? 'won' : a.body.code));
    expect(codes.filter((c) => c === 'won')).toHaveLength(2);
    expect(codes.filter((c) => c === 'WEEKLY_CAP_REACHED')).toHaveLength(14);
    for (const a of answers.filter((x) => x.status !== 201)) expectApiError(a as never, 409, 'WEEKLY_CAP_REACHED');
    expect((await claimsOf(v!.volunteerId)).filter((c) => c.status === 'active')).toHaveLength(2);
  });
});

describe('volunteer events and audit', () => {
  it('writes an event and an audit row for registration, approval, reinstatement and the cap', async () => {
    const reg = await post<VolunteerView>(
      '/volunteers/register',
      { name: '钱多多', communityId: home, skills: [], isPartyMember: true },
      newcomer,
    );
    expect(reg.status).toBe(201);
    const id = reg.body.id;
    const d = cast.tokens.dispatcher_s1!;
    expect((await post(`/volunteers/${id}/approve`, {}, d)).status).toBe(200);
    expect((await post(`/volunteers/${id}/suspend`, {}, d)).status).toBe(200);
    expect((await post(`/volunteers/${id}/approve`, {}, d)).status).toBe(200);
    expect((await t.api.request('PATCH', `/api/v1/volunteers/${id}`, { token: d, body: { weeklyCap: 3 } })).status).toBe(200);
    // A refused change writes neither.
    expect((await post(`/volunteers/${id}/approve`, {}, d)).status).toBe(409);

    await drain(t);
    const { rows } = await t.sql.query(
      `SELECT type, data FROM event_archive WHERE type LIKE 'volunteer.%' AND (data->>'volunteerId')::int = $1 ORDER BY position`,
      [id],
    );
    expect(rows.map((r) => [r.type, r.data.fromStatus, r.data.status])).toEqual([
      ['volunteer.registered', null, 'pending'],
      ['volunteer.approved', 'pending', 'approved'],
      ['volunteer.suspended', 'approved', 'suspended'],
      ['volunteer.reinstated', 'suspended', 'approved'],
      ['volunteer.cap_changed', 'approved', 'approved'],
    ]);
    expect(rows[4].data).toMatchObject({ communityId: home, streetId: expect.any(Number), districtId: expect.any(Number), weeklyCap: 3 });
    expect(JSON.stringify(rows)).not.toContain('钱多多');
    const { rows: audit } = await t.sql.query(
      `SELECT action FROM admin_audit WHERE entity_type = 'volunteer' AND entity_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((r) => r.action)).toEqual(['register', 'approve', 'suspend', 'reinstate', 'set_cap']);
  });
});

describe('pool events', () => {
  it('carry the grid of an item turned from an issue, and of an item raised at a point in the community', async () => {
    const issue = await report(t.api, cast);
    const turned = await post<PoolItemView>(`/pool/from-issue/${issue.id}`, {}, cast.tokens.dispatcher_s1!);
    expect(turned.status).toBe(201);
    expect(turned.body.gridId).toBe(issue.gridId);
    expect((await post(`/pool/${turned.body.id}/publish`, {}, cast.tokens.dispatcher_s1!)).status).toBe(200);
    const here = await gridCentre(t.api, cast.tokens.admin!, cast.gridId);
    const placed = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: home, lat: here.latitude, lng: here.longitude });
    expect(placed.gridId).toBe(cast.gridId);
    await drain(t);
    const { rows } = await t.sql.query(
      `SELECT (data->>'poolItemId')::int AS id, (data->>'gridId')::int AS "gridId", grid_id AS "archivedGrid" FROM event_archive
        WHERE type = 'pool.published' AND (data->>'poolItemId')::int = ANY($1::int[]) ORDER BY position`,
      [[turned.body.id, placed.id]],
    );
    expect(rows).toEqual([
      { id: turned.body.id, gridId: issue.gridId, archivedGrid: issue.gridId },
      { id: placed.id, gridId: cast.gridId, archivedGrid: cast.gridId },
    ]);
    // Catch-up: the community's dispatcher gets them; the grid's worker, who sees none of the pool, does not.
    const published = async (token: string) =>
      (await get<EventPage>('/events?type=pool.published&limit=500', token)).body.items.map((e) => (e.data as PoolEventData).poolItemId);
    expect(await published(cast.tokens.dispatcher_s1!)).toEqual(expect.arrayContaining([turned.body.id, placed.id]));
    expect(await published(cast.tokens.worker1!)).toEqual([]);
  });
});

describe('what the resident’s 点单 screen reads', () => {
  it('shows the raiser who came (masked), the completion, and takes a confirmation with a comment', async () => {
    const res1 = cast.tokens.res1!;
    const raised = await post<PoolItemView>(
      '/pool',
      { kind: 'wish', title: '想学用智能手机', description: '想给孙子视频', communityId: home },
      res1,
    );
    expect(raised.status).toBe(201);
    const id = raised.body.id;
    // Another resident: 404 on it, and not in their list.
    expectApiError((await get(`/pool/${id}`, res2)) as never, 404, 'POOL_ITEM_NOT_FOUND');
    expect((await get<{ items: PoolItemView[] }>('/pool?mine=true&pageSize=100', res2)).body.items.map((i) => i.id)).not.toContain(id);
    const mine = await get<{ items: PoolItemView[] }>('/pool?mine=true&pageSize=100', res1);
    expect(mine.body.items.map((i) => i.id)).toContain(id);
    expect(mine.body.items.every((i) => i.raisedBy === cast.users.res1!.id)).toBe(true);

    await post(`/pool/${id}/publish`, {}, cast.tokens.dispatcher_s1!);
    const [v] = await makeVolunteers(t, 1, home);
    await t.sql.query(`UPDATE volunteers SET name = '李建国', is_party_member = true WHERE id = $1`, [v!.volunteerId]);
    expect((await post(`/pool/${id}/claim`, {}, v!.token)).status).toBe(201);
    const claimed = await get<PoolItemView>(`/pool/${id}`, res1);
    expect(claimed.body).toMatchObject({ status: 'claimed', claims: [{ status: 'active', volunteerName: '李**', isPartyMember: true }] });
    // The community sees the whole name.
    expect((await get<PoolItemView>(`/pool/${id}`, cast.tokens.dispatcher_s1!)).body.claims[0]!.volunteerName).toBe('李建国');
    expect((await post(`/pool/${id}/complete`, { note: '教会了视频通话' }, v!.token)).status).toBe(200);
    const done = await get<PoolItemView>(`/pool/${id}`, res1);
    expect(done.body).toMatchObject({ status: 'done', allowedActions: ['confirm'], claims: [{ status: 'done', note: '教会了视频通话' }] });

    expectApiError((await post(`/pool/${id}/confirm`, { score: 5, comment: 'x'.repeat(501) }, res1)) as never, 400, 'VALIDATION_FAILED');
    expectApiError((await post(`/pool/${id}/confirm`, { score: 5, comment: '谢谢' }, res2)) as never, 404, 'POOL_ITEM_NOT_FOUND');
    const confirmed = await post<PoolItemView>(`/pool/${id}/confirm`, { score: 5, comment: '小李很耐心，谢谢' }, res1);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', score: 5, confirmComment: '小李很耐心，谢谢' });
    const hours = await get(`/volunteers/me/hours`, v!.token);
    expect(hours.body.entries).toEqual([expect.objectContaining({ itemId: id, hours: 1 })]);
  });
});
