import type { PoolFrame, PoolWallSummary } from '@gridline/shared';
import { demoRegions, expectApiError } from './support/checks';
import { loadCast, type Cast } from './support/fixtures';
import { LiveClient } from './support/live-client';
import { communityId, drain, HOME_COMMUNITY_CODE, makeVolunteers, openItem, otherCommunityId } from './support/pool';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The wall's 点单 · 派单 · 接单 panel through the API and the socket: `GET /pool/summary` gives
 * the figures a plain count of the tables gives, in the caller's scope only, names masked; a
 * claim reaches the sockets of its street's region rooms as a `pool` frame, and no other street's.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let s1: number;
let s2: number;
let home: number;
let other: number;
const clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId, s1, s2 } = await demoRegions(t));
  home = await communityId(t, HOME_COMMUNITY_CODE);
  other = await otherCommunityId(t);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

const summaryOf = (regionId: number | string, token = cast.tokens.viewer!) =>
  t.api.get<PoolWallSummary>(`/api/v1/pool/summary?regionId=${regionId}`, token);

/** A published item claimed by a new volunteer of the community; returns the item and the claim. */
async function claimOne(community: number, staff: string, title: string) {
  const [vol] = await makeVolunteers(t, 1, community);
  const item = await openItem(t, staff, { communityId: community, title, kind: 'wish' });
  const res = await t.api.post<{ item: { id: number }; claim: { id: number } }>(`/api/v1/pool/${item.id}/claim`, {}, vol!.token);
  expect(res.status).toBe(201);
  return { item, claimId: res.body.claim.id, vol: vol! };
}

/** The figures counted straight from the tables, one plain query each, today from the server's local midnight. */
async function counted(regionId: number) {
  const dayStart = t.clock.startOfDay(t.clock.now());
  const one = async (sql: string) => (await t.sql.query<{ n: number }>(sql, [regionId, dayStart])).rows[0]!.n;
  const inRegion = `p.community_id IN (SELECT id FROM regions WHERE $1::int = ANY (path)) AND $2::timestamptz IS NOT NULL`;
  const items = (cond: string) => one(`SELECT count(*)::int AS n FROM pool_items p WHERE ${inRegion} AND ${cond}`);
  const claims = (cond: string) =>
    one(`SELECT count(*)::int AS n FROM pool_claims c JOIN pool_items p ON p.id = c.item_id WHERE ${inRegion} AND ${cond}`);
  const hours = (cond: string) =>
    one(
      `SELECT COALESCE(sum(h.hours), 0)::float8 AS n FROM volunteer_hours h JOIN pool_items p ON p.id = h.item_id WHERE ${inRegion} AND ${cond}`,
    );
  return {
    today: {
      raised: await items('p.created_at >= $2'),
      published: await items('p.published_at >= $2'),
      claimed: await claims('c.start_by IS NOT NULL AND c.claimed_at >= $2'),
      done: await claims('c.completed_at >= $2'),
      confirmed: await items('p.confirmed_at >= $2'),
    },
    total: {
      raised: await items('true'),
      published: await items('p.published_at IS NOT NULL'),
      claimed: await claims('c.start_by IS NOT NULL'),
      done: await claims('c.completed_at IS NOT NULL'),
      confirmed: await items('p.confirmed_at IS NOT NULL'),
    },
    hoursToday: await hours('h.at >= $2'),
    hoursTotal: await hours('true'),
  };
}

describe('GET /pool/summary', () => {
  beforeAll(async () => {
    // Today's life in both streets: claimed, completed and confirmed in the home community, claimed in the other.
    const done = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：帮忙买菜');
    const ok = await t.api.post(`/api/v1/pool/${done.item.id}/complete`, { note: '已送到' }, done.vol.token);
    expect(ok.status).toBe(200);
    expect((await t.api.post(`/api/v1/pool/${done.item.id}/confirm`, { score: 5 }, cast.tokens.dispatcher_s1!)).status).toBe(200);
    const full = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：陪老人聊天');
    // A place on the wait list is not a claim (接单) until a slot frees.
    const [waiting] = await makeVolunteers(t, 1, home);
    expect((await t.api.post(`/api/v1/pool/${full.item.id}/waitlist`, {}, waiting!.token)).status).toBe(201);
    await claimOne(other, cast.tokens.admin!, '大屏：修自行车');
  });

  it.each([
    ['the district', () => districtId],
    ['street S1', () => s1],
    ['street S2', () => s2],
    ['the home community', () => home],
  ])('equals a plain count of the tables for %s', async (_what, region) => {
    const res = await summaryOf(region());
    expect(res.status).toBe(200);
    const { today, total, hoursToday, hoursTotal } = res.body;
    expect({ today, total, hoursToday, hoursTotal }).toEqual(await counted(region()));
  });

  it('has life today and adds up across the two streets', async () => {
    const [d, a, b] = await Promise.all([summaryOf(districtId), summaryOf(s1), summaryOf(s2)]);
    expect(d.body.today.claimed).toBeGreaterThanOrEqual(3);
    expect(d.body.today.confirmed).toBeGreaterThanOrEqual(1);
    expect(d.body.hoursToday).toBeGreaterThan(0);
    expect(d.body.total.claimed).toBe(a.body.total.claimed + b.body.total.claimed);
  });

  it('lists the latest claims newest first, the volunteer masked, only of the region', async () => {
    const { claimId, vol } = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：最新的一单');
    const res = await summaryOf(s1);
    const first = res.body.latestClaims[0]!;
    expect(first).toMatchObject({ claimId, title: '大屏：最新的一单', communityId: home, kind: 'wish' });
    const { rows } = await t.sql.query(`SELECT name FROM volunteers WHERE id = $1`, [vol.volunteerId]);
    const name = rows[0].name as string;
    expect(first.volunteer).toBe(`${Array.from(name)[0]}${'*'.repeat(Array.from(name).length - 1)}`);
    expect(JSON.stringify(res.body)).not.toContain(name);
    const times = res.body.latestClaims.map((c) => Date.parse(c.claimedAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect((await summaryOf(s2)).body.latestClaims.map((c) => c.claimId)).not.toContain(claimId);
  });

  it('keeps callers to their scope and refuses bad input with stable codes', async () => {
    expectApiError(await summaryOf(s1, cast.tokens.viewer_s2!), 404, 'NOT_FOUND');
    expect((await summaryOf(s2, cast.tokens.viewer_s2!)).status).toBe(200);
    // Without regionId: the caller's own region.
    const own = await t.api.get<PoolWallSummary>('/api/v1/pool/summary', cast.tokens.viewer_s2!);
    expect(own.body.regionId).toBe(s2);
    expectApiError(await summaryOf('abc'), 400, 'VALIDATION_FAILED');
    expectApiError(await summaryOf(0), 400, 'VALIDATION_FAILED');
    expectApiError(await summaryOf(99_999_999), 404, 'NOT_FOUND');
    expectApiError(await t.api.get(`/api/v1/pool/summary?regionId=${s1}&all=1`, cast.tokens.viewer!), 400, 'VALIDATION_FAILED');
    expectApiError(await summaryOf(s1, cast.tokens.vol1!), 403, 'FORBIDDEN_ROLE');
    expectApiError(await summaryOf(s1, cast.tokens.lead1!), 403, 'FORBIDDEN_ROLE');
    expect((await t.api.get(`/api/v1/pool/summary?regionId=${s1}`)).status).toBe(401);
  });
});

describe('pool frames on /live', () => {
  async function connect(name: string): Promise<LiveClient> {
    const client = await LiveClient.connect(t.baseUrl, cast.tokens[name]);
    clients.push(client);
    return client;
  }
  const claimFrame = (client: LiveClient, claimId: number) => () =>
    client.pools.find((p) => p.frame.type === 'pool.claimed' && p.frame.claimId === claimId)?.frame;

  it("reach the wall rooms of the claim's street and district, and not another street's", async () => {
    const street1 = await connect('dispatcher_s1');
    const street2 = await connect('viewer_s2');
    const district = await connect('viewer');
    // A wall of street S1 subscribed to it, as the wall does.
    await district.snapshot(s1);

    const a = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：S1 的一单');
    const b = await claimOne(other, cast.tokens.admin!, '大屏：S2 的一单');
    const c = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：S1 的又一单');
    await drain(t);

    const a1: PoolFrame = await street1.until(claimFrame(street1, a.claimId), 'the S1 claim on the S1 socket');
    expect(a1).toMatchObject({ poolItemId: a.item.id, communityId: home, streetId: s1, districtId, kind: 'wish' });
    await street2.until(claimFrame(street2, b.claimId), 'the S2 claim on the S2 socket');
    await street1.until(claimFrame(street1, c.claimId), 'the later S1 claim on the S1 socket');
    for (const id of [a.claimId, b.claimId, c.claimId])
      await district.until(claimFrame(district, id), `claim ${id} on the district socket`);
    // Frames go out in commit order: each street socket has received a frame sent after the other street's claim.
    expect(street2.pools.filter((p) => p.frame.streetId !== s2)).toEqual([]);
    expect(street1.pools.filter((p) => p.frame.streetId !== s1)).toEqual([]);
    // Ids and states only: no names, no actor.
    expect(JSON.stringify(a1)).not.toMatch(/volunteer|actor|name/i);
  });

  it('come for publishing, completing and confirming too', async () => {
    const street1 = await connect('dispatcher_s1');
    const { item, vol } = await claimOne(home, cast.tokens.dispatcher_s1!, '大屏：一单走完');
    await t.api.post(`/api/v1/pool/${item.id}/complete`, { note: '完成' }, vol.token);
    await t.api.post(`/api/v1/pool/${item.id}/confirm`, { score: 4 }, cast.tokens.dispatcher_s1!);
    await drain(t);
    const types = await street1.until(() => {
      const seen = street1.pools.filter((p) => p.frame.poolItemId === item.id).map((p) => p.frame.type);
      return seen.includes('pool.confirmed') && seen;
    }, 'the confirmation');
    expect(types).toEqual(['pool.published', 'pool.claimed', 'pool.completed', 'pool.confirmed']);
  });
});
