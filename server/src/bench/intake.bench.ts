/**
 * `npm run bench:intake`: how close does the report endpoint come to the database's own limit?
 *
 * 1. A fresh database with the demo district (a small history), and the real server started as
 *    its own process (so it has a core of its own, as in production).
 * 2. autocannon POSTs /api/v1/issues as a grid worker, every request with its own
 *    Idempotency-Key, for BENCH_SECONDS (default 30).
 * 3. The same transaction (insert issue + insert audit event) straight through `pg` with
 *    prepared statements and the same pool size, for the same time: the reference.
 * 4. Prints req/s and p99 of both and the ratio; checks every 2xx created exactly one issue.
 *    Then the same report through Open311 (POST /open311/v2/requests.json, form-encoded, the demo
 *    API key, its own Idempotency-Key per request): the same one-statement intake behind another door.
 * 5. Times the reads that still count rows (wall snapshot, list total) at this size.
 *
 * BENCH_PREFILL=1000000 first fills the table with that many issues (one report event each).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { DEMO_OPEN311_KEY } from '@gridline/shared';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { benchDatabase, freePort, sql, withDatabase } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const POOL = 10;
/** Synthetic issues inserted before measuring, to see how intake and reads hold up as the table grows. */
const PREFILL = Number(process.env.BENCH_PREFILL ?? 0);

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is unset: run with `npm run bench:intake`');
  const dbName = `gridline_bench_${process.pid}`;
  const dbUrl = withDatabase(adminUrl, dbName);
  await sql(adminUrl, `CREATE DATABASE ${dbName}`);
  let server: ChildProcess | undefined;
  try {
    await prepareDatabase(benchDatabase(dbUrl), { seed: true, historyIssues: 300 });
    if (PREFILL > 0) await prefill(dbUrl, PREFILL);
    const port = await freePort();
    server = await startServer(dbUrl, port);
    const base = `http://127.0.0.1:${port}`;
    const { token, body } = await reportTemplate(base);

    console.log(`\nHTTP: POST /api/v1/issues, ${CONNECTIONS} connections, ${SECONDS} s, server pool ${POOL}`);
    const before = await countIssues(dbUrl);
    const http = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/issues',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
            body: JSON.stringify(body),
          }),
        },
      ],
    });
    const created = (await countIssues(dbUrl)) - before;

    console.log(`HTTP: POST /open311/v2/requests.json, ${CONNECTIONS} connections, ${SECONDS} s`);
    const form = await open311Form(dbUrl, body);
    const beforeOpen311 = await countIssues(dbUrl);
    const open311 = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/open311/v2/requests.json',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': randomUUID() },
            body: form,
          }),
        },
      ],
    });
    const createdOpen311 = (await countIssues(dbUrl)) - beforeOpen311;

    console.log(`raw pg: the same transaction, ${POOL} clients, ${SECONDS} s`);
    const raw = await rawTransactions(dbUrl, SECONDS, POOL, body);

    const httpRps = http.requests.average;
    const rows = [
      ['', 'req/s (or TPS)', 'p50 ms', 'p99 ms', 'errors'],
      ['HTTP POST /issues', fmt(httpRps), fmt(http.latency.p50), fmt(http.latency.p99), String(http.non2xx + http.errors)],
      [
        'HTTP POST Open311',
        fmt(open311.requests.average),
        fmt(open311.latency.p50),
        fmt(open311.latency.p99),
        String(open311.non2xx + open311.errors),
      ],
      ['raw pg transaction', fmt(raw.tps), fmt(raw.p50), fmt(raw.p99), '0'],
    ];
    console.log(`\n${rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(15))).join('')).join('\n')}`);
    console.log(`\nratio HTTP / raw pg: ${(httpRps / raw.tps).toFixed(2)}`);
    // Requests still in flight when the clock stops commit but are not counted by autocannon.
    const consistent = created >= http['2xx'] && created <= http['2xx'] + CONNECTIONS;
    console.log(
      `2xx responses: ${http['2xx']}, issues created: ${created} (${consistent ? 'consistent' : 'MISMATCH'}: at most ${CONNECTIONS} in flight at the end)`,
    );
    const consistentOpen311 = createdOpen311 >= open311['2xx'] && createdOpen311 <= open311['2xx'] + CONNECTIONS;
    console.log(
      `Open311 2xx responses: ${open311['2xx']}, issues created: ${createdOpen311} (${consistentOpen311 ? 'consistent' : 'MISMATCH'})`,
    );
    console.log(`ratio Open311 / POST /issues: ${(open311.requests.average / httpRps).toFixed(2)}`);
    console.log('reference (shared/LIMITS.md): pg with counters 1,185 req/s, without 2,910 req/s; pgbench without counters 8,199 TPS');
    await timeReads(base, await countIssues(dbUrl));
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

/** Bulk-inserts synthetic issues over every grid and leaf category and the last 30 days, in batches. */
async function prefill(dbUrl: string, total: number): Promise<void> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const t0 = Date.now();
  const batch = 200_000;
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    await c.query(
      `WITH grids AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, path FROM regions WHERE level = 'grid'),
            cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM categories WHERE parent_id IS NOT NULL),
            statuses AS (SELECT ARRAY['closed','closed','closed','closed','resolved','accepted','reported','rejected'] AS s),
            ins AS (
              INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id,
                                  district_id, reporter_id, reported_at, updated_at)
              SELECT 'GL-BENCH-' || g, '预置事件', '批量预置的历史数据', cats.ids[1 + g % cardinality(cats.ids)], 'normal',
                     statuses.s[1 + g % 8], 'grid_worker', gr.id, gr.path[4], gr.path[3], gr.path[2], NULL,
                     now() - (g % 43200) * interval '1 minute', now() - (g % 43200) * interval '1 minute'
                FROM generate_series($1::int, $2::int) g
                JOIN grids gr ON gr.k = g % (SELECT count(*) FROM grids), cats, statuses
              RETURNING id, reported_at)
       INSERT INTO issue_events (issue_id, type, to_status, data, at) SELECT id, 'report', 'reported', '{}', reported_at FROM ins`,
      [from, to],
    );
    process.stdout.write(`\rprefill: ${to.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} issues`);
  }
  await c.query('VACUUM ANALYZE issues');
  await c.query('VACUUM ANALYZE issue_events');
  await c.end();
  console.log(` (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

/** Median of a few timed GETs of the reads that still COUNT rows (the wall issue replaces them with roll-ups). */
async function timeReads(base: string, issues: number): Promise<void> {
  const login = async (username: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const median = async (path: string, token: string) => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times.sort((a, b) => a - b)[3]!;
  };
  const viewer = await login('viewer');
  const dispatcher = await login('dispatcher');
  console.log(`\nreads at ${issues.toLocaleString('en-US')} issues (median of 7):`);
  console.log(`  GET /stats/overview (district)        ${fmt(await median('/api/v1/stats/overview', viewer))} ms`);
  console.log(`  GET /issues?pageSize=20 (with total)  ${fmt(await median('/api/v1/issues?pageSize=20', dispatcher))} ms`);
}

function startServer(dbUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATABASE_POOL_SIZE: String(POOL),
      // The bench is one client: the per-key limit would measure itself.
      OPEN311_RATE_PER_MINUTE: '10000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return resolve(child);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('server did not start'));
      setTimeout(() => void poll(), 200);
    };
    void poll();
  });
}

/** The same report as a GeoReport v2 form: the 小类 code as service_code, the grid code as address_id. */
async function open311Form(dbUrl: string, body: { categoryId: number; gridId: number; description: string }): Promise<string> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ service: string; grid: string }>(
      'SELECT (SELECT code FROM categories WHERE id = $1) AS service, (SELECT code FROM regions WHERE id = $2) AS grid',
      [body.categoryId, body.gridId],
    );
    return new URLSearchParams({
      api_key: DEMO_OPEN311_KEY,
      service_code: rows[0]!.service,
      address_id: rows[0]!.grid,
      description: body.description,
    }).toString();
  } finally {
    await c.end();
  }
}

async function reportTemplate(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'worker1', password: DEMO_PASSWORD }),
  });
  const { accessToken, user } = (await login.json()) as { accessToken: string; user: { gridIds: number[] } };
  const categories = (await (await fetch(`${base}/api/v1/categories`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as {
    id: number;
    parentId: number | null;
    photoRequiredOnReport: boolean;
  }[];
  const category = categories.find((c) => c.parentId !== null && !c.photoRequiredOnReport)!;
  return {
    token: accessToken,
    body: {
      categoryId: category.id,
      gridId: user.gridIds[0]!,
      description: '人行道上垃圾堆积，影响通行',
      address: '幸福路 12 号',
      priority: 'normal',
    },
  };
}

/** The report transaction without HTTP, Nest or TypeORM: the database's own limit for this work. */
async function rawTransactions(
  dbUrl: string,
  seconds: number,
  clients: number,
  body: { categoryId: number; gridId: number; description: string; address: string },
) {
  const pool = new Pool({ connectionString: dbUrl, max: clients });
  const { timeZone } = benchDatabase(dbUrl);
  const place = (await pool.query('SELECT path FROM regions WHERE id = $1', [body.gridId])).rows[0].path as number[];
  const [, districtId, streetId, communityId] = place;
  const reporter = (await pool.query(`SELECT id FROM users WHERE username = 'worker1'`)).rows[0].id as number;
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    const c = await pool.connect();
    try {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        const now = new Date();
        await c.query('BEGIN');
        const { rows } = await c.query({
          name: 'insert-issue',
          text: `INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id, district_id,
                   address, reporter_id, idempotency_key, request_hash, reported_at, updated_at)
                 VALUES ('GL-' || to_char($1::timestamptz AT TIME ZONE $11, 'YYYYMMDD') || '-' || lpad(nextval('issue_number_seq')::text, 6, '0'),
                   '环境卫生', $2, $3, 'normal', 'reported', 'grid_worker', $4, $5, $6, $7, $8, $9, $10, 'h', $1, $1)
                 ON CONFLICT (reporter_id, open311_key_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
          values: [
            now,
            body.description,
            body.categoryId,
            body.gridId,
            communityId,
            streetId,
            districtId,
            body.address,
            reporter,
            randomUUID(),
            timeZone,
          ],
        });
        await c.query({
          name: 'insert-event',
          text: `INSERT INTO issue_events (issue_id, type, to_status, actor_id, data, at) VALUES ($1, 'report', 'reported', $2, '{}', $3)`,
          values: [rows[0].id, reporter, now],
        });
        await c.query('COMMIT');
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    } finally {
      c.release();
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = (Date.now() - t0) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { tps: latencies.length / elapsed, p50: pct(50), p99: pct(99) };
}

async function countIssues(dbUrl: string): Promise<number> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const { rows } = await c.query('SELECT count(*)::int AS n FROM issues');
  await c.end();
  return rows[0].n as number;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
