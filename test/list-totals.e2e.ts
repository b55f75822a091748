import type { IssueSummary, Page } from '@gridline/shared';
import { loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A list's `total` is counted up to LIST_TOTAL_CAP: exact up to the cap, then "at least the cap"
 * (`totalCapped`), on every paged list. The demo district has thousands of issues; a cap of 3 makes
 * both sides of the edge easy to reach.
 */
const CAP = 3;
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp({ LIST_TOTAL_CAP: String(CAP) });
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const issues = (query: string) => t.api.get<Page<IssueSummary>>(`/api/v1/issues?${query}`, cast.tokens.dispatcher);
const count = async (sql: string, params: unknown[] = []) => (await t.sql.query(sql, params)).rows[0].n as number;

describe('list totals up to the cap', () => {
  it('an issue list with more matches than the cap says so, and still pages through all of them', async () => {
    const all = await count('SELECT count(*)::int AS n FROM issues');
    expect(all).toBeGreaterThan(40);
    const first = await issues('pageSize=20');
    expect(first.status).toBe(200);
    expect({ total: first.body.total, totalCapped: first.body.totalCapped, items: first.body.items.length }).toEqual({
      total: CAP,
      totalCapped: true,
      items: 20,
    });
    const second = await issues('pageSize=20&page=2');
    expect(second.body.items).toHaveLength(20);
    expect(second.body.items.map((i) => i.id)).not.toContain(first.body.items[0]!.id);
    expect(second.body.totalCapped).toBe(true);
  });

  it('up to the cap the total is exact, at the edge too; one more match and it is capped', async () => {
    const token = `CAPEDGE${Date.now()}`;
    const shown = async () => {
      const res = await issues(`q=${token}`);
      return { total: res.body.total, totalCapped: res.body.totalCapped, items: res.body.items.length };
    };
    expect(await shown()).toEqual({ total: 0, totalCapped: false, items: 0 });
    for (let i = 1; i <= CAP; i++) {
      await report(t.api, cast, { description: `路灯不亮 ${token} #${i}` });
      expect(await shown()).toEqual({ total: i, totalCapped: false, items: i });
    }
    await report(t.api, cast, { description: `路灯不亮 ${token} #${CAP + 1}` });
    expect(await shown()).toEqual({ total: CAP, totalCapped: true, items: CAP + 1 });
  });

  it('a text search pages in the list order (newest first) under the cap and past it', async () => {
    const token = `文本翻页${Date.now()}`;
    const pages = async (pageSize: number) => {
      const out: { total: number; totalCapped: boolean; ids: number[] }[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await issues(`q=${encodeURIComponent(token)}&pageSize=${pageSize}&page=${page}`);
        expect(res.status).toBe(200);
        out.push({ total: res.body.total, totalCapped: res.body.totalCapped, ids: res.body.items.map((i) => i.id) });
      }
      return out;
    };
    const ids: number[] = [];
    for (let i = 1; i <= CAP; i++) ids.unshift((await report(t.api, cast, { description: `井盖缺失 ${token} #${i}` })).id);
    expect(await pages(2)).toEqual([
      { total: CAP, totalCapped: false, ids: ids.slice(0, 2) },
      { total: CAP, totalCapped: false, ids: ids.slice(2, 4) },
      { total: CAP, totalCapped: false, ids: [] },
    ]);
    ids.unshift((await report(t.api, cast, { description: `井盖缺失 ${token} #${CAP + 1}` })).id);
    expect(await pages(2)).toEqual([
      { total: CAP, totalCapped: true, ids: ids.slice(0, 2) },
      { total: CAP, totalCapped: true, ids: ids.slice(2, 4) },
      { total: CAP, totalCapped: true, ids: [] },
    ]);
  });

  it('the other paged lists count the same way: users, the audit trails, 督办', async () => {
    const admin = cast.tokens.admin;
    const users = await t.api.get<Page<unknown>>('/api/v1/admin/users?pageSize=2', admin);
    expect({ status: users.status, total: users.body.total, totalCapped: users.body.totalCapped, items: users.body.items.length }).toEqual({
      status: 200,
      total: CAP,
      totalCapped: true,
      items: 2,
    });
    const admins = await t.api.get<Page<unknown>>('/api/v1/admin/users?role=admin', admin);
    const adminCount = await count(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
    expect(adminCount).toBeLessThanOrEqual(CAP);
    expect({ total: admins.body.total, totalCapped: admins.body.totalCapped }).toEqual({ total: adminCount, totalCapped: false });

    const logins = await t.api.get<Page<unknown>>('/api/v1/admin/login-audit', admin);
    expect(await count('SELECT count(*)::int AS n FROM login_audit')).toBeGreaterThan(CAP); // loadCast signed everyone in
    expect({ total: logins.body.total, totalCapped: logins.body.totalCapped }).toEqual({ total: CAP, totalCapped: true });

    const audit = await t.api.get<Page<unknown>>('/api/v1/admin/audit', admin);
    const changes = await count('SELECT count(*)::int AS n FROM admin_audit');
    expect({ total: audit.body.total, totalCapped: audit.body.totalCapped }).toEqual(
      changes > CAP ? { total: CAP, totalCapped: true } : { total: changes, totalCapped: false },
    );

    const supervisions = await t.api.get<Page<unknown>>('/api/v1/supervisions', cast.tokens.dispatcher);
    const open = await count('SELECT count(*)::int AS n FROM supervisions');
    expect(open).toBeGreaterThan(CAP); // the seed's history has 督办 on overdue issues
    expect({ total: supervisions.body.total, totalCapped: supervisions.body.totalCapped }).toEqual({ total: CAP, totalCapped: true });
  });
});
