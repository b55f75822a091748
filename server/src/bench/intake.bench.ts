/**
 * `npm run bench:intake`: how close does the report endpoint come to the database's own limit?
 *
 * 1. A fresh database with the demo district (a small history), and the real server started as
 *    its own process (so it has a core of its own, as in production).
 * 2. autocannon POSTs /api/v1/issues as a grid worker, every request with its own
 *    Idempotency-Key, for BENCH_SECONDS (default 30) as fast as it goes (after BENCH_WARMUP_SECONDS,
 *    default 3, unmeasured, so the server's JIT is warm as in production); the server's peak RSS
 *    meanwhile. Then at a steady BENCH_PACED_RATE (200 req/s), evenly spaced (an open loop:
 *    bench-support.ts openLoop), for the latency at a steady load.
 *    In between, the same with `Prefer: return=minimal`, as the phone's outbox reports (the receipt, not the detail).
 *    Then the same report through Open311 (POST /open311/v2/requests.json, form-encoded, the demo
 *    API key, its own Idempotency-Key per request): the same one-statement intake behind another door.
 * 3. Through `pg` with the same pool size, for the same time (after the same warm-up): the product's own report statement
 *    (issue, audit event, SLA clocks, outbox row) — the SQL side of a report — and the bare report
 *    (issue + audit event, one statement too) — the floor of any report.
 * 4. Prints req/s and p99 of each, the ratios HTTP ÷ statement (what Node adds) and statement ÷
 *    bare (what the product's extra rows cost) against their targets, where each phase's CPU went
 *    per request (server, load generator, the rest: PostgreSQL), and checks every 2xx created
 *    exactly one issue.
 * 5. Times the reads that still count rows (wall snapshot, list total) at this size.
 *
 * BENCH_CPU_PROFILE=<file.cpuprofile> writes the server's CPU profile of the first HTTP phase (scripts/cpuprofile-top.mjs reads it).
 * BENCH_PREFILL=1000000 first fills the table with that many issues (one report event each).
 * BENCH_SERVER_PROCESSES=2 runs that many server processes on one machine (as `docker compose up
 * --scale api=2` would), each driven by its own share of the connections and rate: the HTTP
 * figures are their sum (p50: the mean, p99: the worse), the RSS the largest of one process.
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import { DEMO_OPEN311_KEY } from '@gridline/shared';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { photoColumns, REPORT_STATEMENT, REPORT_STATEMENT_NAME, type ReportInsert } from '../issues/report-statement';
import {
  benchDatabase,
  type CpuPerRequest,
  cpuSplit,
  fmt,
  freePort,
  insertInBatches,
  inspectorSession,
  openLoop,
  profileCpu,
  rssMiB,
  startServer,
  stopServer,
  withBenchDatabase,
} from './bench-support';
import { KeepAliveClient } from './keep-alive-client';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Unmeasured load before the first HTTP phase and before each raw phase: a server just started still compiles its hot paths. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const POOL = 10;
/** The paced phase: latency at a steady rate below the ceiling. */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 200);
/** A file for the server's CPU profile of the first HTTP phase; summarise it with scripts/cpuprofile-top.mjs. */
const PROFILE_FILE = process.env.BENCH_CPU_PROFILE;
/** Synthetic issues inserted before measuring, to see how intake and reads hold up as the table grows. */
const PREFILL = Number(process.env.BENCH_PREFILL ?? 0);
/** Server processes on this machine, sharing the load (each with its own pool of POOL). */
const SERVERS = Number(process.env.BENCH_SERVER_PROCESSES ?? 1);

async function main(): Promise<void> {
  await withBenchDatabase('intake', async (dbUrl) => {
    const servers: { port: number; inspectPort: number; child: ChildProcess }[] = [];
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true, historyIssues: 300 });
      if (PREFILL > 0) await prefill(dbUrl, PREFILL);
      for (let i = 0; i < SERVERS; i++) {
        const port = await freePort();
        const inspectPort = await freePort();
        const child = await startServer(
          dbUrl,
          port,
          {
            DATABASE_POOL_SIZE: String(POOL),
            // The bench is one client: the per-key limit would measure itself.
            OPEN311_RATE_PER_MINUTE: '10000000',
          },
          [`--inspect=127.0.0.1:${inspectPort}`],
        );
        servers.push({ port, inspectPort, child });
      }
      const rss = servers.map((x) => rssSampler(x.child.pid!));
      const [first] = servers as [(typeof servers)[number]];
      const { token, body } = await reportTemplate(`http://127.0.0.1:${first.port}`);
      /** The same requests against every server process at once, each with its share of the connections and rate. */
      const load = async (request: autocannon.Request, duration = SECONDS) =>
        mergeResults(
          await Promise.all(
            servers.map(({ port }) =>
              autocannon({
                url: `http://127.0.0.1:${port}`,
                connections: Math.max(1, Math.round(CONNECTIONS / SERVERS)),
                duration,
                requests: [request],
              }),
            ),
          ),
        );
      /** `receipt`: with `Prefer: return=minimal`, as the phone's outbox sends it (the short answer instead of the detail). */
      const report = (opts: { receipt?: boolean; duration?: number } = {}) =>
        load(
          {
            method: 'POST',
            path: '/api/v1/issues',
            setupRequest: (req) => ({
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${token}`,
                'idempotency-key': randomUUID(),
                ...(opts.receipt ? { prefer: 'return=minimal' } : {}),
              },
              body: JSON.stringify(body),
            }),
          },
          opts.duration,
        );
      const cpu = () => cpuSplit(servers.map((x) => x.child.pid!));

      console.log(
        `\nHTTP: POST /api/v1/issues, ${CONNECTIONS} connections, ${SECONDS} s, server pool ${POOL}, ${SERVERS} server process(es)`,
      );
      if (WARMUP_SECONDS > 0) await report({ duration: WARMUP_SECONDS });
      const before = await settledCount(dbUrl);
      const httpCpu = cpu();
      const stopProfile = PROFILE_FILE ? await profileCpu(first.inspectPort, PROFILE_FILE) : null;
      const http = await report();
      const httpSplit = httpCpu(http['2xx']);
      await stopProfile?.();
      const memoryAfterIntake = await memoryUsage(first.inspectPort);
      const created = (await settledCount(dbUrl)) - before;
      const rssIntake = Math.max(...rss.map((r) => r.peak()));

      console.log(`HTTP: POST /api/v1/issues with Prefer: return=minimal (the phone's outbox), ${CONNECTIONS} connections, ${SECONDS} s`);
      const receiptCpu = cpu();
      const receipts = await report({ receipt: true });
      const receiptSplit = receiptCpu(receipts['2xx']);

      console.log(`HTTP: POST /api/v1/issues at a steady ${PACED_RATE} req/s (evenly spaced), ${SECONDS} s`);
      const paced = await pacedReports(
        servers.map(({ port }) => port),
        token,
        body,
      );

      console.log(`HTTP: POST /open311/v2/requests.json, ${CONNECTIONS} connections, ${SECONDS} s`);
      const form = await open311Form(dbUrl, body);
      const beforeOpen311 = await settledCount(dbUrl);
      const open311 = await load({
        method: 'POST',
        path: '/open311/v2/requests.json',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': randomUUID() },
          body: form,
        }),
      });
      const createdOpen311 = (await settledCount(dbUrl)) - beforeOpen311;
      rss.forEach((r) => r.stop());

      console.log(`raw pg: the product's report statement, ${POOL} clients, ${SECONDS} s`);
      const same = await reportStatements(dbUrl, SECONDS, POOL, body, cpu);
      console.log(`raw pg: the bare report (issue + audit event), ${POOL} clients, ${SECONDS} s`);
      const bare = await bareInserts(dbUrl, SECONDS, POOL, body, cpu);

      const httpRps = http.requests.average;
      const rows = [
        ['', 'req/s (or TPS)', 'p50 ms', 'p99 ms', 'errors'],
        ['HTTP POST /issues', fmt(httpRps), fmt(http.latency.p50), fmt(http.latency.p99), String(http.non2xx + http.errors)],
        [
          '  return=minimal',
          fmt(receipts.requests.average),
          fmt(receipts.latency.p50),
          fmt(receipts.latency.p99),
          String(receipts.non2xx + receipts.errors),
        ],
        [`  steady ${PACED_RATE} req/s`, fmt(paced.ok / SECONDS), fmt(paced.p50), fmt(paced.p99), String(paced.errors + paced.skipped)],
        [
          'HTTP POST Open311',
          fmt(open311.requests.average),
          fmt(open311.latency.p50),
          fmt(open311.latency.p99),
          String(open311.non2xx + open311.errors),
        ],
        ['raw pg report statement', fmt(same.tps), fmt(same.p50), fmt(same.p99), '0'],
        ['raw pg bare report', fmt(bare.tps), fmt(bare.p50), fmt(bare.p99), '0'],
      ];
      console.log(`\n${rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(26) : c.padStart(15))).join('')).join('\n')}`);
      const target = (label: string, value: number, goal: string, ok: boolean) =>
        console.log(`${label.padEnd(44)}${value.toFixed(2).padStart(8)}   target ${goal} ${ok ? 'met' : 'NOT MET'}`);
      console.log('');
      target('ratio HTTP / raw report statement', httpRps / same.tps, '≥ 0.50', httpRps / same.tps >= 0.5);
      const receiptRatio = receipts.requests.average / same.tps;
      target('  … with Prefer: return=minimal', receiptRatio, '≥ 0.50', receiptRatio >= 0.5);
      target('ratio raw report statement / bare report', same.tps / bare.tps, '≥ 0.40', same.tps / bare.tps >= 0.4);
      target(`p99 ms at a steady ${PACED_RATE} req/s`, paced.p99, '≤ 50', paced.p99 <= 50);
      target('server RSS MiB, peak under intake', rssIntake, '≤ 250', rssIntake <= 250);
      const m = memoryAfterIntake;
      console.log(
        `server memory right after the HTTP phase, MiB: rss ${m.rss}, JS heap ${m.heapUsed} used of ${m.heapTotal}, external ${m.external} (array buffers ${m.arrayBuffers}); after a full GC: heap ${m.heapUsedAfterGc}, rss ${m.rssAfterGc}`,
      );
      console.log(`ratio HTTP / bare report: ${(httpRps / bare.tps).toFixed(2)}`);
      printCpuSplit([
        ['HTTP POST /issues', httpSplit],
        ['  return=minimal', receiptSplit],
        ['raw pg report statement', same.cpu],
        ['raw pg bare report', bare.cpu],
      ]);
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
      await timeReads(`http://127.0.0.1:${first.port}`, await countIssues(dbUrl));
    } finally {
      await Promise.all(servers.map(({ child }) => stopServer(child)));
    }
  });
}

/**
 * The server's own account of its memory (MiB), read through the inspector: how much of the RSS
 * is the JS heap, and how much of the heap is still held after a full collection.
 */
async function memoryUsage(inspectPort: number): Promise<Record<string, number>> {
  const session = await inspectorSession(inspectPort);
  const read = async () => {
    const { result } = await session.send<{ result: { value: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
    });
    return JSON.parse(result.value) as Record<string, number>;
  };
  try {
    const usage = await read();
    await session.send('HeapProfiler.collectGarbage');
    const afterGc = await read();
    const mib = (v: number) => Math.round(v / 1048576);
    return {
      ...Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, mib(v)])),
      heapUsedAfterGc: mib(afterGc.heapUsed!),
      rssAfterGc: mib(afterGc.rss!),
    };
  } finally {
    session.close();
  }
}

/**
 * CPU per request (or transaction) of each phase, ms: the server processes, the load generator (this
 * process: autocannon or the raw clients) and the rest of the machine (PostgreSQL, mostly), and how
 * busy the machine's cores were. A phase whose ratio is short of its target shows here which side costs.
 */
function printCpuSplit(phases: [string, CpuPerRequest | null][]): void {
  if (phases.some(([, split]) => split === null)) return;
  console.log('\nCPU per request, ms            server   generator   rest (PostgreSQL)   total   cores busy');
  for (const [name, split] of phases) {
    const { server, generator, rest, busyShare } = split!;
    const cells = [server, generator, rest, server + generator + rest].map((v) => v.toFixed(2));
    console.log(
      `${name.padEnd(28)}${cells[0]!.padStart(9)}${cells[1]!.padStart(12)}${cells[2]!.padStart(20)}${cells[3]!.padStart(8)}${`${Math.round(busyShare * 100)} %`.padStart(13)}`,
    );
  }
}

/** The results of the same load on several servers as one: counts and rates summed, p50 the mean, p99 the worst. */
function mergeResults(results: autocannon.Result[]): Pick<autocannon.Result, '2xx' | 'non2xx' | 'errors'> & {
  requests: { average: number };
  latency: { p50: number; p99: number };
} {
  const sum = (f: (r: autocannon.Result) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    '2xx': sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    requests: { average: sum((r) => r.requests.average) },
    latency: { p50: sum((r) => r.latency.p50) / results.length, p99: Math.max(...results.map((r) => r.latency.p99)) },
  };
}

/** The peak resident memory of a process, sampled every 250 ms until stopped. */
function rssSampler(pid: number) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 250);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

/** Bulk-inserts synthetic issues over every grid and leaf category and the last 30 days, in batches. */
async function prefill(dbUrl: string, total: number): Promise<void> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await insertInBatches(
      c,
      'prefill',
      'issues',
      total,
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
      ['issues', 'issue_events'],
    );
  } finally {
    await c.end();
  }
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

type ReportBody = { categoryId: number; gridId: number; description: string; address: string };

/** One timed transaction of a raw client; runs `clients` of them in parallel for `seconds`. */
async function timedLoop(dbUrl: string, seconds: number, clients: number, once: (c: PoolClient) => Promise<void>, cpu: CpuSampler) {
  const pool = new Pool({ connectionString: dbUrl, max: clients });
  const run = async (seconds: number, latencies: number[]) => {
    const end = Date.now() + seconds * 1000;
    const worker = async () => {
      const c = await pool.connect();
      try {
        while (Date.now() < end) {
          const t0 = process.hrtime.bigint();
          await once(c);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      } finally {
        c.release();
      }
    };
    await Promise.all(Array.from({ length: clients }, worker));
  };
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS, []);
  const latencies: number[] = [];
  const split = cpu();
  const t0 = Date.now();
  await run(seconds, latencies);
  const elapsed = (Date.now() - t0) / 1000;
  const cpuPerTx = split(latencies.length);
  await pool.end();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { tps: latencies.length / elapsed, p50: pct(50), p99: pct(99), cpu: cpuPerTx };
}

async function reportPlace(dbUrl: string, body: ReportBody) {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const place = (await c.query('SELECT path FROM regions WHERE id = $1', [body.gridId])).rows[0].path as number[];
    const reporterId = (await c.query(`SELECT id FROM users WHERE username = 'worker1'`)).rows[0].id as number;
    const [, districtId, streetId, communityId] = place as [number, number, number, number];
    return { gridId: body.gridId, communityId, streetId, districtId, reporterId };
  } finally {
    await c.end();
  }
}

/**
 * The bare report: the issue and its first audit event, nothing else, as one statement (one round
 * trip, like the product's) — the floor of any report.
 */
async function bareInserts(dbUrl: string, seconds: number, clients: number, body: ReportBody, cpu: CpuSampler) {
  const { timeZone } = benchDatabase(dbUrl);
  const place = await reportPlace(dbUrl, body);
  return timedLoop(
    dbUrl,
    seconds,
    clients,
    async (c) => {
      const now = new Date();
      await c.query({
        name: 'bare-report',
        text: `WITH issue AS (
               INSERT INTO issues (number, title, description, category_id, priority, status, source, grid_id, community_id, street_id,
                 district_id, address, reporter_id, idempotency_key, request_hash, reported_at, updated_at)
               VALUES ('GL-' || to_char($1::timestamptz AT TIME ZONE $11, 'YYYYMMDD') || '-' || lpad(nextval('issue_number_seq')::text, 6, '0'),
                 '环境卫生', $2, $3, 'normal', 'reported', 'grid_worker', $4, $5, $6, $7, $8, $9, $10, 'h', $1, $1)
               ON CONFLICT (reporter_id, open311_key_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id)
             INSERT INTO issue_events (issue_id, type, to_status, actor_id, data, at) SELECT id, 'report', 'reported', $9, '{}', $1 FROM issue`,
        values: [
          now,
          body.description,
          body.categoryId,
          place.gridId,
          place.communityId,
          place.streetId,
          place.districtId,
          body.address,
          place.reporterId,
          randomUUID(),
          timeZone,
        ],
      });
    },
    cpu,
  );
}

/**
 * The product's own report statement (report-statement.ts: issue, audit event, SLA clocks and
 * timer, outbox row) through `pg`, with the clocks and the event payload of a report the server
 * made: the SQL side of POST /issues without HTTP, Nest or validation.
 */
async function reportStatements(dbUrl: string, seconds: number, clients: number, body: ReportBody, cpu: CpuSampler) {
  const { timeZone } = benchDatabase(dbUrl);
  const place = await reportPlace(dbUrl, body);
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const sample = (
    await c.query<{ clocks: unknown; reported: unknown; due: Date | null }>(
      `SELECT (SELECT jsonb_agg(to_jsonb(k) - 'id' - 'issue_id') FROM sla_clocks k WHERE k.issue_id = i.id) AS clocks,
              (SELECT a.data::jsonb - 'issueId' - 'number' FROM event_archive a WHERE a.issue_id = i.id AND a.type = 'issue.reported' LIMIT 1) AS reported,
              i.sla_due_at AS due
         FROM issues i WHERE i.reporter_id = $1 AND i.idempotency_key IS NOT NULL ORDER BY i.id DESC LIMIT 1`,
      [place.reporterId],
    )
  ).rows[0];
  await c.end();
  if (!sample?.clocks || !sample.reported) throw new Error('no report of the HTTP phase to copy clocks and event from');
  const clocks = JSON.stringify(sample.clocks);
  const reportedEvent = JSON.stringify(sample.reported);
  return timedLoop(
    dbUrl,
    seconds,
    clients,
    async (client) => {
      const at = new Date();
      const insert: ReportInsert = {
        ...place,
        title: '环境卫生',
        description: body.description,
        categoryId: body.categoryId,
        priority: 'normal',
        source: 'grid_worker',
        lat: null,
        lng: null,
        address: body.address,
        open311KeyId: null,
        residentId: null,
        residentPhone: null,
        residentName: null,
        idempotencyKey: randomUUID(),
        requestHash: 'h',
        deviceTime: null,
        at,
        timeZone,
        eventData: '{}',
        ...photoColumns([]),
        slaDueAt: sample.due,
        clocks,
        reportedEvent,
      };
      await client.query({ name: REPORT_STATEMENT_NAME, text: REPORT_STATEMENT.text, values: REPORT_STATEMENT.values(insert) });
    },
    cpu,
  );
}

type CpuSampler = () => ReturnType<typeof cpuSplit>;

/**
 * `POST /api/v1/issues` at a steady PACED_RATE for SECONDS, evenly spaced over the servers, each
 * with its own Idempotency-Key: the latency a steady load sees (from each request's due time).
 */
async function pacedReports(ports: number[], token: string, body: ReportBody) {
  const clients = ports.map((port) => new KeepAliveClient(port));
  const json = JSON.stringify(body);
  const send = async (k: number) => {
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() };
    return (await clients[k % clients.length]!.request('POST', '/api/v1/issues', headers, json)).status === 201;
  };
  try {
    // Unmeasured: the client's sockets open and its code compiles before the clock starts.
    await openLoop(PACED_RATE, Math.min(WARMUP_SECONDS, 2), send);
    return await openLoop(PACED_RATE, SECONDS, send);
  } finally {
    clients.forEach((c) => c.close());
  }
}

/**
 * The issue count once requests still in flight have landed (autocannon stops counting at the end
 * of a phase, the server still commits them): the count when it stayed the same for 300 ms.
 */
async function settledCount(dbUrl: string): Promise<number> {
  let last = await countIssues(dbUrl);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await countIssues(dbUrl);
    if (now === last) return now;
    last = now;
  }
  return last;
}

async function countIssues(dbUrl: string): Promise<number> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const { rows } = await c.query('SELECT count(*)::int AS n FROM issues');
  await c.end();
  return rows[0].n as number;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
