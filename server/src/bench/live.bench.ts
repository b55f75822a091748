/**
 * `npm run bench:live`: commit-to-client latency of the realtime wall, and the wall snapshot at size.
 *
 * 1. A fresh database with the demo district; the real server as its own process.
 * 2. BENCH_LIVE_CLIENTS (1,000) socket.io clients from this process: walls subscribed to the
 *    district, streets and communities, and grid workers' workbenches (their grids' rooms).
 * 3. Reports through the REST API, open loop: BENCH_STEADY_RATE (20/s) for BENCH_STEADY_SECONDS
 *    (20 s), then a burst of BENCH_BURST_RATE (500/s) for BENCH_BURST_SECONDS (5 s).
 *    - issue-frame latency: arrival at each receiving socket − the frame's `at` (taken inside the
 *      transaction, so this includes the commit: an upper bound of commit-to-client);
 *    - stats latency: a district wall's first stats frame whose total includes the k-th report −
 *      the k-th HTTP response (which follows the commit), commit order ≈ response order.
 *    - CPU per accepted report while the phase sends (/proc): the server, this process (load
 *      generator and clients) and the rest (PostgreSQL), and how busy the cores were: a burst short
 *      of its rate shows whether the machine ran out of cores, and who took them.
 * BENCH_CPU_PROFILE=<file.cpuprofile> writes the (first) server's CPU profile of the burst (scripts/cpuprofile-top.mjs reads it).
 * BENCH_PHASES=latency or =snapshot runs one part only. BENCH_SERVER_PROCESSES=2 runs the latency part
 * against that many server processes on this machine (as `docker compose up --scale api=2` would):
 * clients and reports alternate between them; frames cross between them through the event bus.
 * 4. The wall snapshot at BENCH_SIZES issues (1,000,000 and 10,000,000): synthetic issues inserted
 *    set-based (generate_series, triggers off), roll-ups rebuilt set-based (timed), then the
 *    snapshot timed as GET /stats/overview and as a fresh subscribe ack (roll-ups + feed + overdue list).
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { CategoryView, LoginResult, RegionView, StatsFrame, SubscribeAck } from '@gridline/shared';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { Client } from 'pg';
import { startOfDayIn } from '../common/time-zone';
import { WALL_STATS_SQL, wallStatsParams } from '../stats/wall-stats.service';
import {
  benchDatabase,
  type CpuPerRequest,
  cpuSplit,
  fmt,
  freePort,
  openLoop,
  percentile,
  profileCpu,
  startServer,
  stopServer,
  timed,
  withBenchDatabase,
} from './bench-support';
import { KeepAliveClient } from './keep-alive-client';
import { growTo } from './synthetic-issues';

const env = process.env;
const CLIENTS = Number(env.BENCH_LIVE_CLIENTS ?? 1000);
const STEADY_RATE = Number(env.BENCH_STEADY_RATE ?? 20);
const STEADY_SECONDS = Number(env.BENCH_STEADY_SECONDS ?? 20);
const BURST_RATE = Number(env.BENCH_BURST_RATE ?? 500);
const BURST_SECONDS = Number(env.BENCH_BURST_SECONDS ?? 5);
const SIZES = (env.BENCH_SIZES ?? '1000000,10000000').split(',').filter(Boolean).map(Number);
/** Which parts to run: `latency`, `snapshot`, or both (default). */
const PHASES = (env.BENCH_PHASES ?? 'latency,snapshot').split(',');
const MAX_IN_FLIGHT = 256;
const PROFILE_FILE = env.BENCH_CPU_PROFILE;
/** Server processes for the latency part, sharing clients and reports. */
const SERVERS = Number(env.BENCH_SERVER_PROCESSES ?? 1);
/** What each phase must reach: the share of the offered reports accepted, and the frames' p99. */
const PHASE_TARGETS = {
  steady: { acceptedShare: 0.95, issueP99Ms: 1000, statsP99Ms: 1000 },
  burst: { acceptedShare: 0.9, issueP99Ms: 1000, statsP99Ms: 2000 },
} as const;

interface Cast {
  base: string;
  /** Every server process (base is the first): clients and reports alternate between them. */
  bases: string[];
  viewer: LoginResult;
  dispatcher: LoginResult;
  workers: LoginResult[];
  districtId: number;
  streets: RegionView[];
  communities: RegionView[];
  categoryId: number;
}

async function main(): Promise<void> {
  await withBenchDatabase('live', async (dbUrl) => {
    let server: ChildProcess | undefined;
    try {
      await prepareDatabase(benchDatabase(dbUrl), { seed: true });
      const port = await freePort();
      if (PHASES.includes('latency')) {
        const ports = [port, ...(await Promise.all(Array.from({ length: SERVERS - 1 }, () => freePort())))];
        const inspectPort = PROFILE_FILE ? await freePort() : null;
        const servers = await Promise.all(
          ports.map((p, i) => startServer(dbUrl, p, {}, inspectPort !== null && i === 0 ? [`--inspect=127.0.0.1:${inspectPort}`] : [])),
        );
        try {
          const cast = await loadCast(`http://127.0.0.1:${port}`);
          const serverPids = servers.map((child) => child.pid!);
          await latencyPhases({ ...cast, bases: ports.map((p) => `http://127.0.0.1:${p}`) }, serverPids, inspectPort);
        } finally {
          await Promise.all(servers.map((child) => stopServer(child)));
        }
      }
      for (const size of PHASES.includes('snapshot') ? SIZES : []) {
        await growTo(dbUrl, size);
        server = await startServer(dbUrl, port);
        await timeSnapshots(await loadCast(`http://127.0.0.1:${port}`), size, dbUrl);
        await stopServer(server);
        server = undefined;
      }
    } finally {
      await stopServer(server);
    }
  });
}

async function post<T>(base: string, path: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function get<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function loadCast(base: string): Promise<Cast> {
  const login = (username: string) => post<LoginResult>(base, '/api/v1/auth/login', { username, password: DEMO_PASSWORD });
  const viewer = await login('viewer');
  const dispatcher = await login('dispatcher');
  const regions = await get<RegionView[]>(base, '/api/v1/regions', dispatcher.accessToken);
  const communities = regions.filter((r) => r.level === 'community');
  const workers = await Promise.all(communities.map((c) => login(`gw_${c.code.toLowerCase()}`)));
  const categories = await get<CategoryView[]>(base, '/api/v1/categories', dispatcher.accessToken);
  const category = categories.find((c) => c.parentId !== null && !c.photoRequiredOnReport);
  if (!category) throw new Error('no photo-free category');
  return {
    base,
    bases: [base],
    viewer,
    dispatcher,
    workers,
    districtId: viewer.user.regionId!,
    streets: regions.filter((r) => r.level === 'street'),
    communities,
    categoryId: category.id,
  };
}

type Phase = { name: 'steady' | 'burst'; rate: number; seconds: number; start: number; end: number; responses: number[]; errors: number };

/**
 * `serverPids`: the server processes, whose CPU each phase reports apart from this process's (the
 * load generator and the clients) and PostgreSQL's. `inspectPort`: profile the first server's CPU
 * during the burst (BENCH_CPU_PROFILE).
 */
async function latencyPhases(cast: Cast, serverPids: number[], inspectPort: number | null): Promise<void> {
  const issueLatency = new Map<string, number[]>();
  /** `issues` messages received per phase (a message carries the frames of one batch): what the server wrote. */
  const issueMessages = new Map<string, number>();
  const phases: Phase[] = [];
  const phaseAt = (t: number) => phases.find((p) => t >= p.start && t < p.end)?.name;
  const probe: { at: number; reported: number }[] = [];

  console.log(`\nReference: a bare socket.io server (own process, no Nest, no database) broadcasting ~300 B to ${CLIENTS} clients`);
  for (const [rate, limits] of [
    [10, '12 / 27 ms'],
    [100, '26 / 92 ms'],
  ] as const) {
    const ref = await socketIoReference(rate, 5);
    console.log(
      `  ${rate} events/s (${(rate * CLIENTS).toLocaleString('en-US')} msgs/s): p50 ${fmt(ref.p50)} ms, p99 ${fmt(ref.p99)} ms ` +
        `(LIMITS.md, quiet machine: ${limits}); load average ${loadavg()[0]!.toFixed(1)}`,
    );
  }
  console.log(`\nConnecting ${CLIENTS} socket.io clients…`);
  const sockets: Socket[] = [];
  const plan = clientPlan(cast, CLIENTS);
  const [, connectMs] = await timed(async () => {
    for (let i = 0; i < plan.length; i += 50) {
      await Promise.all(
        plan.slice(i, i + 50).map(async ({ token, regionId }, k) => {
          const base = cast.bases[(i + k) % cast.bases.length]!;
          const socket = io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
          socket.on('issues', (frames: { at: string }[]) => {
            const now = Date.now();
            const first = frames[0] && phaseAt(Date.parse(frames[0].at));
            if (first) issueMessages.set(first, (issueMessages.get(first) ?? 0) + 1);
            for (const frame of frames) {
              const at = Date.parse(frame.at);
              const phase = phaseAt(at);
              if (phase) (issueLatency.get(phase) ?? issueLatency.set(phase, []).get(phase)!).push(now - at);
            }
          });
          if (regionId !== undefined) {
            const ack = (await socket.timeout(30_000).emitWithAck('subscribe', { regionId })) as SubscribeAck;
            if (!ack.ok) throw new Error(`subscribe ${regionId}: ${ack.error.code}`);
            if (i + k === 0) {
              probe.push({ at: Date.now(), reported: ack.snapshot.total.reported });
              socket.on(
                'stats',
                (f: StatsFrame) => f.regionId === cast.districtId && probe.push({ at: Date.now(), reported: f.total.reported }),
              );
            }
          }
          sockets.push(socket);
        }),
      );
    }
  });
  console.log(`${sockets.length} connected in ${fmt(connectMs)} ms (walls: ${plan.filter((p) => p.regionId !== undefined).length})`);

  for (const [name, rate, seconds] of [
    ['steady', STEADY_RATE, STEADY_SECONDS],
    ['burst', BURST_RATE, BURST_SECONDS],
  ] as const) {
    const phase: Phase = { name, rate, seconds, start: Date.now(), end: Infinity, responses: [], errors: 0 };
    phases.push(phase);
    const before = probe.at(-1)!.reported;
    const stopProfile = name === 'burst' && inspectPort !== null ? await profileCpu(inspectPort, PROFILE_FILE!) : null;
    const cpu = cpuSplit(serverPids);
    await reportAt(cast, rate, seconds, phase);
    const split = cpu(phase.responses.length);
    await stopProfile?.();
    // Wait (up to 30 s) for the district wall to show every report of the phase.
    const want = before + phase.responses.length;
    const deadline = Date.now() + 30_000;
    while ((probe.at(-1)?.reported ?? 0) < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000)); // the last issue frames
    reportPhase(phase, issueLatency.get(name) ?? [], issueMessages.get(name) ?? 0, statsLatencies(probe, before, phase.responses), split);
    phase.end = phase.start; // closed: later frames do not count
  }
  for (const s of sockets) s.close();
}

/** p50/p99 of a bare socket.io server broadcasting to CLIENTS sockets at `rate` events/s (same machine, same moment). */
async function socketIoReference(rate: number, seconds: number): Promise<{ p50: number; p99: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'socketio-reference.js'), String(port)], { stdio: 'inherit' });
  try {
    const latencies: number[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, CLIENTS - i) }, async () => {
          for (let attempt = 0; ; attempt++) {
            const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
            const ok = await new Promise<boolean>((resolve) => {
              socket.once('connect', () => resolve(true));
              socket.once('connect_error', () => resolve(false));
            });
            if (ok) {
              socket.on('tick', (e: { at: number }) => latencies.push(Date.now() - e.at));
              return socket;
            }
            socket.close();
            if (attempt > 50) throw new Error('the socket.io reference server did not start');
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
      );
      sockets.push(...batch);
    }
    await sockets[0]!.timeout((seconds + 30) * 1000).emitWithAck('go', { rate, seconds });
    await new Promise((r) => setTimeout(r, 1000));
    for (const s of sockets) s.close();
    const sorted = latencies.sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Walls: 2 % on the district (viewer), 4 % on streets and 4 % on communities (dispatcher); the rest grid workers' workbenches. */
function clientPlan(cast: Cast, n: number): { token: string; regionId?: number }[] {
  const out: { token: string; regionId?: number }[] = [];
  for (let i = 0; i < n; i++) {
    const f = i / n;
    if (f < 0.02) out.push({ token: cast.viewer.accessToken, regionId: cast.districtId });
    else if (f < 0.06) out.push({ token: cast.dispatcher.accessToken, regionId: cast.streets[i % cast.streets.length]!.id });
    else if (f < 0.1) out.push({ token: cast.dispatcher.accessToken, regionId: cast.communities[i % cast.communities.length]!.id });
    else out.push({ token: cast.workers[i % cast.workers.length]!.accessToken });
  }
  return out;
}

/**
 * Open loop (bench-support.ts openLoop): report k is due at start + k / rate, whatever the previous
 * ones are doing (capped in flight). Sent with the benches' keep-alive client: fetch cost this
 * process about 1.8 ms of CPU per report, nearly a core at 500 reports/s on a 2-core machine.
 */
async function reportAt(cast: Cast, rate: number, seconds: number, phase: Phase): Promise<void> {
  const clients = cast.bases.map((base) => new KeepAliveClient(Number(new URL(base).port)));
  try {
    const result = await openLoop(
      rate,
      seconds,
      async (k) => {
        const worker = cast.workers[k % cast.workers.length]!;
        const body = {
          categoryId: cast.categoryId,
          gridId: worker.user.gridIds[k % worker.user.gridIds.length],
          description: `压测上报 ${k}`,
        };
        const res = await clients[k % clients.length]!.request(
          'POST',
          '/api/v1/issues',
          {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${worker.accessToken}`,
            // As the phone's outbox sends it: the receipt back, not the detail.
            'Idempotency-Key': randomUUID(),
            Prefer: 'return=minimal',
          },
          JSON.stringify(body),
        );
        if (res.status >= 300) return false;
        phase.responses.push(Date.now());
        return true;
      },
      MAX_IN_FLIGHT,
    );
    phase.errors += result.errors + result.skipped;
  } finally {
    clients.forEach((c) => c.close());
  }
}

/** For the k-th response (sorted), the time until the first district frame whose total includes k reports. */
function statsLatencies(probe: { at: number; reported: number }[], before: number, responses: number[]): number[] {
  const sorted = [...responses].sort((a, b) => a - b);
  return sorted.map((at, i) => {
    const frame = probe.find((p) => p.reported - before >= i + 1);
    return frame ? Math.max(0, frame.at - at) : NaN;
  });
}

/** `split`: where the phase's CPU went per accepted report (null where /proc is missing). */
function reportPhase(phase: Phase, issue: number[], messages: number, stats: number[], split: CpuPerRequest | null): void {
  const s = (xs: number[]) => [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const i = s(issue);
  const st = s(stats);
  const achieved = phase.responses.length / phase.seconds;
  console.log(
    `\n${phase.name}: ${phase.rate} reports/s for ${phase.seconds} s with ${CLIENTS} clients — ${phase.responses.length} reports (${fmt(achieved)}/s), ` +
      `${phase.errors} errors/skipped; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  console.log(
    `  issue frames: ${i.length.toLocaleString('en-US')} deliveries (${fmt(i.length / phase.seconds)}/s) in ${messages.toLocaleString('en-US')} messages (${fmt(messages / phase.seconds)}/s), p50 ${fmt(percentile(i, 50))} ms, p99 ${fmt(percentile(i, 99))} ms, max ${fmt(i.at(-1) ?? NaN)} ms`,
  );
  console.log(
    `  stats frames (district wall): p50 ${fmt(percentile(st, 50))} ms, p99 ${fmt(percentile(st, 99))} ms` +
      `${stats.some(Number.isNaN) ? ` (${stats.filter(Number.isNaN).length} reports never shown)` : ''}`,
  );
  if (split) {
    const ms = (v: number) => v.toFixed(2);
    console.log(
      `  CPU per accepted report, ms: server ${ms(split.server)} (intake and fan-out), this process ${ms(split.generator)} ` +
        `(the load generator and the ${CLIENTS} clients), the rest ${ms(split.rest)} (PostgreSQL, mostly); ` +
        `cores busy ${Math.round(split.busyShare * 100)} %`,
    );
  }
  const t = PHASE_TARGETS[phase.name];
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `  targets: accepted ≥ ${fmt(t.acceptedShare * phase.rate)}/s ${verdict(achieved >= t.acceptedShare * phase.rate)}, ` +
      `issue p99 ≤ ${t.issueP99Ms} ms ${verdict(percentile(i, 99) <= t.issueP99Ms)}, ` +
      `stats p99 ≤ ${t.statsP99Ms} ms ${verdict(percentile(st, 99) <= t.statsP99Ms)}`,
  );
}

/** Fills the issues table up to `size` rows set-based (triggers off), then rebuilds the roll-ups set-based. */
/** The wall statement alone, in PostgreSQL (EXPLAIN ANALYZE: planning + execution), without HTTP or Node. */
async function statementTimes(dbUrl: string, regionId: number): Promise<number[]> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const now = new Date();
    const dayStart = startOfDayIn(benchDatabase(dbUrl).timeZone, now);
    const hourStart = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 - 23 * 3600_000);
    const children = (await c.query<{ id: number }>('SELECT id FROM regions WHERE parent_id = $1', [regionId])).rows.map((r) => r.id);
    const params = wallStatsParams(regionId, hourStart, new Date(dayStart.getTime() - 29 * 86_400_000), dayStart, children);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const { rows } = await c.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${WALL_STATS_SQL}`,
        params,
      );
      const plan = rows[0]!['QUERY PLAN'][0];
      times.push(plan['Planning Time'] + plan['Execution Time']);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await c.end();
  }
}

async function timeSnapshots(cast: Cast, size: number, dbUrl: string): Promise<void> {
  const street = cast.streets[0]!;
  const community = cast.communities[0]!;
  const overview = async (regionId: number) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      times.push((await timed(() => get(cast.base, `/api/v1/stats/overview?regionId=${regionId}`, cast.dispatcher.accessToken)))[1]);
    }
    return times.sort((a, b) => a - b);
  };
  const subscribe = async (regionId: number) => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const socket = io(`${cast.base}/live`, { auth: { token: cast.dispatcher.accessToken }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const [ack, ms] = await timed(() => socket.timeout(30_000).emitWithAck('subscribe', { regionId }) as Promise<SubscribeAck>);
      if (!ack.ok) throw new Error(`subscribe: ${ack.error.code}`);
      times.push(ms);
      socket.close(); // the room empties: the next subscribe reads the roll-ups again
      await new Promise((r) => setTimeout(r, 50));
    }
    return times.sort((a, b) => a - b);
  };
  console.log(`\nwall snapshot at ${size.toLocaleString('en-US')} issues (target ≤ 50 ms at 10 M):`);
  for (const [label, id] of [
    ['district', cast.districtId],
    [`street ${street.code}`, street.id],
    [`community ${community.code}`, community.id],
  ] as const) {
    const q = await statementTimes(dbUrl, id);
    const o = await overview(id);
    const s = await subscribe(id);
    console.log(
      `  ${label.padEnd(22)} statement in PostgreSQL p50 ${fmt(percentile(q, 50))} ms, max ${fmt(q.at(-1)!)} ms;` +
        ` GET /stats/overview p50 ${fmt(percentile(o, 50))} ms, max ${fmt(o.at(-1)!)} ms;` +
        ` subscribe ack (+ feed) p50 ${fmt(percentile(s, 50))} ms, max ${fmt(s.at(-1)!)} ms`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
