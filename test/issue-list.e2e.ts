import type { IssueDetail, IssueSummary, Page } from '@gridline/shared';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { demoRegions } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * `GET /api/v1/issues`: every filter, alone and combined, against the same question asked of
 * the issues table directly, inside the caller's scope; pagination in the documented order
 * (reported_at desc, id desc); and refusal of bad queries.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let s1: number;
let s2: number;
const mine: { percent?: IssueDetail; underscore?: IssueDetail } = {};

/** Each caller's scope as SQL over issues `i` with its parameters, written by hand from the product's role rules (not from server/src/scope/). */
let SCOPE: Record<string, { where: string; params: unknown[] }>;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId, s1, s2 } = await demoRegions(t));
  const u = cast.users;
  SCOPE = {
    dispatcher: { where: 'i.district_id = $1', params: [districtId] },
    viewer: { where: 'i.district_id = $1', params: [districtId] },
    dispatcher_s1: { where: 'i.street_id = $1', params: [s1] },
    viewer_s2: { where: 'i.street_id = $1', params: [s2] },
    worker1: { where: '(i.grid_id = $1 OR i.reporter_id = $2)', params: [cast.gridId, u.worker1!.id] },
    lead1: { where: 'i.department_id = $1', params: [cast.departmentId] },
    staff1: {
      where: `(i.department_id = $1 AND (i.assignee_id = $2 OR (i.status = 'dispatched' AND i.assignee_id IS NULL)))`,
      params: [cast.departmentId, u.staff1!.id],
    },
  };
  // Work of our own, so "mine" filters and literal % and _ in text search have something to find.
  mine.percent = await report(t.api, cast, { description: '噪音扰民，邻居反映100%属实' });
  mine.underscore = await report(t.api, cast, { title: '标题含下划线 a_b', description: '测试下划线' });
  await issueIn(t.api, cast, 'in_progress'); // assigned to staff1
  const signedByLead = await issueIn(t.api, cast, 'dispatched');
  await act(t.api, cast.tokens.lead1!, signedByLead, 'sign'); // assigned to lead1
  await t.api.post(
    '/api/v1/issues',
    { categoryId: cast.category.id, gridId: cast.gridId, description: '热线来电：路灯不亮', source: 'hotline' },
    cast.tokens.dispatcher,
  );
});
afterAll(() => t?.close());

const list = (name: string, query: string) => t.api.get<Page<IssueSummary>>(`/api/v1/issues${query ? `?${query}` : ''}`, cast.tokens[name]);

/** Renumbers `$n` in a condition written from $1, to follow `offset` earlier parameters. */
const shift = (where: string, offset: number) => where.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);

/** The SQL truth: total and the first page of ids, in the documented order. */
async function truth(name: string, where: string, params: unknown[], limit = 100) {
  const scope = SCOPE[name]!;
  const cond = `${scope.where} AND (${shift(where, scope.params.length)})`;
  const all = [...scope.params, ...params];
  const { rows: count } = await t.sql.query(`SELECT count(*)::int AS n FROM issues i WHERE ${cond}`, all);
  const { rows } = await t.sql.query(`SELECT i.id FROM issues i WHERE ${cond} ORDER BY i.reported_at DESC, i.id DESC LIMIT ${limit}`, all);
  return { total: count[0].n as number, ids: rows.map((r) => r.id as number) };
}

async function expectMatches(name: string, query: string, where: string, params: unknown[] = [], opts: { nonEmpty?: boolean } = {}) {
  const res = await list(name, `${query}&pageSize=100`);
  expect({ name, query, status: res.status }).toEqual({ name, query, status: 200 });
  const want = await truth(name, where, params);
  expect({ name, query, total: res.body.total, ids: res.body.items.map((i) => i.id) }).toEqual({ name, query, ...want });
  if (opts.nonEmpty !== false) expect({ name, query, nonEmpty: want.total > 0 }).toEqual({ name, query, nonEmpty: true });
  return res.body;
}

describe('filters, each against SQL truth within the caller’s scope', () => {
  it('status: one, several comma-separated, or repeated', async () => {
    await expectMatches('dispatcher', 'status=reported', `i.status = 'reported'`);
    await expectMatches('dispatcher', 'status=closed', `i.status = 'closed'`);
    await expectMatches('dispatcher', 'status=reported,accepted,dispatched', `i.status IN ('reported', 'accepted', 'dispatched')`);
    await expectMatches('dispatcher', 'status=rejected&status=merged', `i.status IN ('rejected', 'merged')`);
    await expectMatches('dispatcher_s1', 'status=in_progress,suspended', `i.status IN ('in_progress', 'suspended')`);
    await expectMatches('lead1', 'status=resolved', `i.status = 'resolved'`);
  });

  it('regionId: a street, a community, a grid; and only inside the caller’s own scope', async () => {
    const { rows } = await t.sql.query('SELECT community_id FROM issues WHERE grid_id = $1 LIMIT 1', [cast.gridId]);
    const community = rows[0].community_id as number;
    await expectMatches('dispatcher', `regionId=${s2}`, 'i.street_id = $1', [s2]);
    await expectMatches('dispatcher', `regionId=${community}`, 'i.community_id = $1', [community]);
    await expectMatches('dispatcher', `regionId=${cast.gridId}`, 'i.grid_id = $1', [cast.gridId]);
    await expectMatches('dispatcher', `regionId=${districtId}`, 'true');
    await expectMatches('dispatcher_s1', `regionId=${districtId}`, 'true');
    await expectMatches('dispatcher_s1', `regionId=${community}`, 'i.community_id = $1', [community]);
    // a region outside the scope finds nothing rather than widening it
    await expectMatches('dispatcher_s1', `regionId=${s2}`, 'i.street_id = $1', [s2], { nonEmpty: false });
    expect((await list('dispatcher_s1', `regionId=${s2}`)).body.total).toBe(0);
    await expectMatches('lead1', `regionId=${s1}`, 'i.street_id = $1', [s1]);
  });

  it('departmentId and categoryId', async () => {
    const otherDept = cast.users.lead2!.departmentId!;
    await expectMatches('dispatcher', `departmentId=${cast.departmentId}`, 'i.department_id = $1', [cast.departmentId]);
    await expectMatches('dispatcher', `departmentId=${otherDept}`, 'i.department_id = $1', [otherDept]);
    await expectMatches('lead1', `departmentId=${otherDept}`, 'i.department_id = $1', [otherDept], { nonEmpty: false });
    await expectMatches('dispatcher', `categoryId=${cast.category.id}`, 'i.category_id = $1', [cast.category.id]);
    await expectMatches('viewer_s2', `categoryId=${cast.category.id}`, 'i.category_id = $1', [cast.category.id]);
  });

  it('priority', async () => {
    for (const priority of ['urgent', 'high', 'normal'])
      await expectMatches('dispatcher', `priority=${priority}`, 'i.priority = $1', [priority]);
    await expectMatches('dispatcher_s1', 'priority=urgent', `i.priority = 'urgent'`);
  });

  it('q: text in the number, title, description (and address), case-insensitive, with % and _ taken literally', async () => {
    const { rows } = await t.sql.query(`SELECT number, address FROM issues WHERE address IS NOT NULL ORDER BY id LIMIT 1`);
    const { number, address } = rows[0] as { number: string; address: string };
    const text = (q: string) => ({
      where: 'i.number ILIKE $1 OR i.title ILIKE $1 OR i.description ILIKE $1 OR i.address ILIKE $1',
      params: [`%${q}%`],
    });
    const exact = await expectMatches('dispatcher', `q=${encodeURIComponent(number)}`, text(number).where, text(number).params);
    expect(exact.items.map((i) => i.number)).toEqual([number]);
    await expectMatches(
      'dispatcher',
      `q=${encodeURIComponent(number.slice(0, 11).toLowerCase())}`,
      text(number.slice(0, 11)).where,
      text(number.slice(0, 11)).params,
    );
    for (const q of ['垃圾', '散发异味', address.slice(0, 3), mine.percent!.number]) {
      await expectMatches('dispatcher', `q=${encodeURIComponent(q)}`, text(q).where, text(q).params);
    }

    const percent = await list('dispatcher', `q=${encodeURIComponent('100%')}&pageSize=100`);
    expect(percent.body.items.map((i) => i.id)).toEqual([mine.percent!.id]);
    const { rows: lit } = await t.sql.query(
      `SELECT count(*)::int AS n FROM issues WHERE strpos(number || title || description || coalesce(address, ''), '100%') > 0`,
    );
    expect(percent.body.total).toBe(lit[0].n);
    const underscore = await list('dispatcher', `q=${encodeURIComponent('a_b')}&pageSize=100`);
    expect(underscore.body.items.map((i) => i.id)).toEqual([mine.underscore!.id]);
    // a lone % matches only texts holding a literal %, not everything
    const lone = await list('dispatcher', `q=${encodeURIComponent('%')}&pageSize=100`);
    expect(lone.body.items.map((i) => i.id)).toEqual([mine.percent!.id]);
    // scope still applies: worker1 finds their report by its number, worker2 does not
    const other = await list('worker1', `q=${encodeURIComponent(mine.percent!.number)}`);
    expect(other.body.total).toBe(1);
    const hidden = await t.api.get<Page<IssueSummary>>(
      `/api/v1/issues?q=${encodeURIComponent(mine.percent!.number)}`,
      await t.api.token('worker2'),
    );
    expect(hidden.body.total).toBe(0);
  });

  it('from/to: reported in [from, to)', async () => {
    const { rows } = await t.sql.query(`SELECT min(reported_at) AS lo, max(reported_at) AS hi FROM issues`);
    const lo = (rows[0].lo as Date).getTime();
    const hi = (rows[0].hi as Date).getTime();
    const from = new Date(lo + (hi - lo) * 0.3).toISOString();
    const to = new Date(lo + (hi - lo) * 0.6).toISOString();
    await expectMatches('dispatcher', `from=${from}`, 'i.reported_at >= $1', [from]);
    await expectMatches('dispatcher', `to=${to}`, 'i.reported_at < $1', [to]);
    await expectMatches('dispatcher', `from=${from}&to=${to}`, 'i.reported_at >= $1 AND i.reported_at < $2', [from, to]);
    await expectMatches('dispatcher_s1', `from=${from}&to=${to}`, 'i.reported_at >= $1 AND i.reported_at < $2', [from, to]);
    // an offset other than Z means the same instant
    const shanghai = new Date(new Date(from).getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const a = await list('dispatcher', `from=${encodeURIComponent(from)}&pageSize=5`);
    const b = await list('dispatcher', `from=${encodeURIComponent(shanghai)}&pageSize=5`);
    expect(b.body).toEqual(a.body);
    // an issue reported exactly at `to` is not included, one at `from` is
    const { rows: edge } = await t.sql.query(`SELECT id, reported_at FROM issues ORDER BY reported_at DESC, id DESC OFFSET 50 LIMIT 1`);
    const at = (edge[0].reported_at as Date).toISOString();
    expect((await list('dispatcher', `to=${at}&pageSize=100`)).body.items.map((i) => i.id)).not.toContain(edge[0].id);
    expect((await list('dispatcher', `from=${at}&pageSize=100`)).body.items.map((i) => i.id)).toContain(edge[0].id);
  });

  it('reportedByMe and assignedToMe', async () => {
    const u = cast.users;
    await expectMatches('worker1', 'reportedByMe=true', 'i.reporter_id = $1', [u.worker1!.id]);
    await expectMatches('dispatcher', 'reportedByMe=true', 'i.reporter_id = $1', [u.dispatcher!.id]);
    await expectMatches('dispatcher', 'reportedByMe=false', 'true');
    await expectMatches('staff1', 'assignedToMe=true', 'i.assignee_id = $1', [u.staff1!.id]);
    await expectMatches('lead1', 'assignedToMe=true', 'i.assignee_id = $1', [u.lead1!.id]);
    await expectMatches('lead1', 'assignedToMe=true&status=in_progress', `i.assignee_id = $1 AND i.status = 'in_progress'`, [u.lead1!.id]);
    // the viewer reported and holds nothing
    await expectMatches('viewer', 'reportedByMe=true', 'i.reporter_id = $1', [u.viewer!.id], { nonEmpty: false });
    expect((await list('viewer', 'assignedToMe=true')).body.total).toBe(0);
  });

  it('several filters at once', async () => {
    await expectMatches(
      'dispatcher',
      `status=closed,resolved&regionId=${s1}&departmentId=${cast.departmentId}`,
      `i.status IN ('closed', 'resolved') AND i.street_id = $1 AND i.department_id = $2`,
      [s1, cast.departmentId],
    );
    await expectMatches(
      'dispatcher_s1',
      `priority=normal&categoryId=${cast.category.id}&q=${encodeURIComponent('垃圾')}`,
      `i.priority = 'normal' AND i.category_id = $1 AND (i.number ILIKE $2 OR i.title ILIKE $2 OR i.description ILIKE $2 OR i.address ILIKE $2)`,
      [cast.category.id, '%垃圾%'],
    );
  });

  it('returns summaries that agree with the table', async () => {
    const page = (await list('dispatcher', 'pageSize=3')).body;
    for (const item of page.items) {
      const { rows } = await t.sql.query(
        `SELECT number, title, status, priority, category_id, grid_id, department_id, assignee_id, reporter_id, source, address, reported_at, version
           FROM issues WHERE id = $1`,
        [item.id],
      );
      const r = rows[0];
      expect(item).toMatchObject({
        number: r.number,
        title: r.title,
        status: r.status,
        priority: r.priority,
        categoryId: r.category_id,
        gridId: r.grid_id,
        departmentId: r.department_id,
        assigneeId: r.assignee_id,
        reporterId: r.reporter_id,
        source: r.source,
        address: r.address,
        reportedAt: (r.reported_at as Date).toISOString(),
        version: r.version,
      });
      expect(item).not.toHaveProperty('description');
    }
  });
});

describe('pagination', () => {
  it('defaults to page 1 of 20', async () => {
    const res = await list('dispatcher', '');
    expect(res.status).toBe(200);
    expect({ page: res.body.page, pageSize: res.body.pageSize, items: res.body.items.length }).toEqual({
      page: 1,
      pageSize: 20,
      items: 20,
    });
    const want = await truth('dispatcher', 'true', [], 20);
    expect(res.body.items.map((i) => i.id)).toEqual(want.ids);
    expect(res.body.total).toBe(want.total);
  });

  it('walks every page without overlap or gap, in reported_at desc, id desc order, ties included', async () => {
    // a community with a few dozen issues, some of which share one reported_at
    const { rows } = await t.sql.query(
      `SELECT community_id, count(*)::int AS n FROM issues WHERE district_id = $1 GROUP BY community_id HAVING count(*) BETWEEN 20 AND 80 ORDER BY community_id LIMIT 1`,
      [districtId],
    );
    const community = rows[0].community_id as number;
    await t.sql.query(
      `UPDATE issues SET reported_at = '2025-06-01T02:00:00Z'
        WHERE id IN (SELECT id FROM issues WHERE community_id = $1 ORDER BY id LIMIT 5)`,
      [community],
    );
    const want = await truth('dispatcher', 'i.community_id = $1', [community], 1000);
    expect(want.total).toBe(rows[0].n);

    const pageSize = 3;
    const pages: Page<IssueSummary>[] = [];
    for (let page = 1; page <= Math.ceil(want.total / pageSize) + 1; page++) {
      const res = await list('dispatcher', `regionId=${community}&pageSize=${pageSize}&page=${page}`);
      expect(res.status).toBe(200);
      pages.push(res.body);
    }
    for (const [i, p] of pages.entries()) {
      expect({ page: p.page, pageSize: p.pageSize, total: p.total }).toEqual({ page: i + 1, pageSize, total: want.total });
      expect(p.items.length).toBe(Math.max(0, Math.min(pageSize, want.total - i * pageSize)));
    }
    expect(pages.at(-1)!.items).toEqual([]); // one past the end
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(want.ids);
    // the order is the documented one, ties by id desc
    const keyed = pages.flatMap((p) => p.items).map((i) => [Date.parse(i.reportedAt), i.id] as const);
    for (let k = 1; k < keyed.length; k++) {
      const [ta, ia] = keyed[k - 1]!;
      const [tb, ib] = keyed[k]!;
      expect(ta > tb || (ta === tb && ia > ib)).toBe(true);
    }
    const tied = pages.flatMap((p) => p.items).filter((i) => i.reportedAt === '2025-06-01T02:00:00.000Z');
    expect(tied).toHaveLength(5);
    // asking again gives the same pages
    const again = await list('dispatcher', `regionId=${community}&pageSize=${pageSize}&page=2`);
    expect(again.body).toEqual(pages[1]);
  });

  it('accepts pageSize up to 100', async () => {
    const res = await list('dispatcher', 'pageSize=100&page=2');
    expect(res.status).toBe(200);
    const want = await truth('dispatcher', 'true', [], 200);
    expect(res.body.items.map((i) => i.id)).toEqual(want.ids.slice(100, 200));
  });
});

describe('bad queries', () => {
  it.each([
    'pageSize=101',
    'pageSize=1000',
    'pageSize=0',
    'pageSize=-5',
    'pageSize=abc',
    'pageSize=2.5',
    'page=0',
    'page=abc',
    'status=bogus',
    'status=reported,bogus',
    'status=REPORTED',
    'priority=bogus',
    'regionId=abc',
    'regionId=0',
    'departmentId=-1',
    'categoryId=x',
    'from=yesterday',
    'to=2025-13-40',
    'reportedByMe=yes',
    'assignedToMe=1',
    `q=${'x'.repeat(101)}`,
    'foo=1',
    'status=reported&sort=id',
    'reporterId=4',
  ])('%s → 400 VALIDATION_FAILED', async (query) => {
    const res = await t.api.get(`/api/v1/issues?${query}`, cast.tokens.dispatcher);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body).not.toHaveProperty('items');
  });

  it('an unknown region → 422 UNKNOWN_REFERENCE', async () => {
    const res = await t.api.get('/api/v1/issues?regionId=999999', cast.tokens.dispatcher);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'UNKNOWN_REFERENCE' });
  });
});
