/**
 * `npm run bench:lists`: what a page of a list costs as the issues table grows.
 *
 * 1. A fresh database with the demo district, grown to each of BENCH_LIST_SIZES (default 1,000,000
 *    and 10,000,000) synthetic issues (`growTo`: the last 365 days, every grid, category and
 *    department; 5 % of them waiting to be accepted, 70 % closed, as the wall's bench has them).
 * 2. The real server as its own process. At each size, `GET /api/v1/issues` (first page of 20, and
 *    a deep page) as the district's dispatcher with the filters the console's queues and a leader's
 *    drill-down use, as a street's dispatcher, a department lead and a grid worker: median and max
 *    of BENCH_LIST_RUNS (7) after one warm-up request.
 * 3. Beside each case, the reference: counting every issue the filter matches, as the list's
 *    `total` did before ADR 0067 (the statement alone, in PostgreSQL).
 */
import { Client } from 'pg';
import type { IssueSummary, LoginResult, Page, RegionView } from '@gridline/shared';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { benchDatabase, fmt, freePort, percentile, sql, startServer, stopServer, timed, withBenchDatabase } from './bench-support';
import { growTo } from './synthetic-issues';

const SIZES = (process.env.BENCH_LIST_SIZES ?? '1000000,10000000').split(',').filter(Boolean).map(Number);
const RUNS = Number(process.env.BENCH_LIST_RUNS ?? 7);

interface ListCase {
  label: string;
  login: string;
  query: string;
  /** The same issues as a condition over `issues i`, for the reference count. */
  where: string;
  params: unknown[];
}

async function main(): Promise<void> {
  await withBenchDatabase('lists', async (dbUrl) => {
    await prepareDatabase(benchDatabase(dbUrl), { seed: true });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    for (const size of SIZES) {
      await growTo(dbUrl, size);
      const server = await startServer(dbUrl, port);
      try {
        await timeLists(base, dbUrl, size);
      } finally {
        await stopServer(server);
      }
    }
  });
}

async function timeLists(base: string, dbUrl: string, size: number): Promise<void> {
  const logins = new Map<string, LoginResult>();
  for (const username of ['dispatcher', 'dispatcher_s1', 'lead1', 'worker1']) {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
    logins.set(username, (await res.json()) as LoginResult);
  }
  const user = (name: string) => logins.get(name)!.user;
  const regions = await get<RegionView[]>(base, '/api/v1/regions', logins.get('dispatcher')!.accessToken);
  const district = user('dispatcher').regionId!;
  const street = user('dispatcher_s1').regionId!;
  const community = regions.find((r) => r.level === 'community' && r.parentId === street)!.id;
  const department = user('lead1').departmentId!;
  const worker = user('worker1');
  // A term few issues hold (a seed issue's address): the text search's page can then not stop early.
  const rareAddress = (
    await sql<{ address: string }>(
      dbUrl,
      'SELECT address FROM issues WHERE address IS NOT NULL GROUP BY address ORDER BY count(*), address LIMIT 1',
    )
  )[0]!.address;
  // The reference counts a text search as the list did before ADR 0068: ILIKE over the four columns.
  const textSearch = (label: string, term: string): ListCase => ({
    label,
    login: 'dispatcher',
    query: `q=${encodeURIComponent(term)}`,
    where: 'i.district_id = $1 AND (i.number ILIKE $2 OR i.title ILIKE $2 OR i.description ILIKE $2 OR i.address ILIKE $2)',
    params: [district, `%${term}%`],
  });
  const cases: ListCase[] = [
    { label: 'district, all', login: 'dispatcher', query: '', where: 'i.district_id = $1', params: [district] },
    {
      label: 'district, page 50',
      login: 'dispatcher',
      query: 'page=50',
      where: 'i.district_id = $1',
      params: [district],
    },
    {
      label: 'district, 待受理 (reported)',
      login: 'dispatcher',
      query: 'status=reported',
      where: "i.district_id = $1 AND i.status = 'reported'",
      params: [district],
    },
    {
      label: 'district, 在办 (dispatched, in progress)',
      login: 'dispatcher',
      query: 'status=dispatched&status=in_progress',
      where: "i.district_id = $1 AND i.status IN ('dispatched', 'in_progress')",
      params: [district],
    },
    {
      label: 'district, closed',
      login: 'dispatcher',
      query: 'status=closed',
      where: "i.district_id = $1 AND i.status = 'closed'",
      params: [district],
    },
    {
      label: 'district, one department',
      login: 'dispatcher',
      query: `departmentId=${department}`,
      where: 'i.district_id = $1 AND i.department_id = $2',
      params: [district, department],
    },
    textSearch('district, text 垃圾', '垃圾'),
    textSearch('district, text (one address)', rareAddress),
    { label: 'district → a street', login: 'dispatcher', query: `regionId=${street}`, where: 'i.street_id = $1', params: [street] },
    {
      label: 'district → a community',
      login: 'dispatcher',
      query: `regionId=${community}`,
      where: 'i.community_id = $1',
      params: [community],
    },
    { label: "a street's dispatcher, all", login: 'dispatcher_s1', query: '', where: 'i.street_id = $1', params: [street] },
    {
      label: "a street's dispatcher, 待受理",
      login: 'dispatcher_s1',
      query: 'status=reported',
      where: "i.street_id = $1 AND i.status = 'reported'",
      params: [street],
    },
    { label: 'a department lead, all', login: 'lead1', query: '', where: 'i.department_id = $1', params: [department] },
    {
      label: 'a grid worker, all',
      login: 'worker1',
      query: '',
      where: '(i.grid_id = ANY($1) OR i.reporter_id = $2)',
      params: [worker.gridIds, worker.id],
    },
  ];
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    console.log(
      `\nlists at ${size.toLocaleString('en-US')} issues: GET /api/v1/issues (pageSize 20), median and max of ${RUNS}; reference: count every match`,
    );
    for (const k of cases) {
      const token = logins.get(k.login)!.accessToken;
      const path = `/api/v1/issues?pageSize=20${k.query ? `&${k.query}` : ''}`;
      const first = await get<Page<IssueSummary>>(base, path, token); // warm-up
      const http: number[] = [];
      for (let i = 0; i < RUNS; i++) http.push((await timed(() => get(base, path, token)))[1]);
      const reference: number[] = [];
      let counted = 0;
      for (let i = 0; i < Math.min(RUNS, 3); i++) {
        const [rows, ms] = await timed(() => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM issues i WHERE ${k.where}`, k.params));
        counted = rows.rows[0]!.n;
        reference.push(ms);
      }
      http.sort((a, b) => a - b);
      reference.sort((a, b) => a - b);
      const shown = `${first.total.toLocaleString('en-US')}${first.totalCapped ? '+' : ''}`;
      console.log(
        `  ${k.label.padEnd(28)} ${fmt(percentile(http, 50)).padStart(7)} ms (max ${fmt(http.at(-1)!)}), total ${shown.padEnd(10)}` +
          ` | count every match: ${fmt(percentile(reference, 50)).padStart(7)} ms → ${counted.toLocaleString('en-US')}`,
      );
    }
  } finally {
    await c.end();
  }
}

async function get<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
