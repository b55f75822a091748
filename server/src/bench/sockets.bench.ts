/**
 * `npm run bench:sockets`: how many wall sockets one server process holds and what they cost.
 * Starts the built server on a seeded database, opens BENCH_SOCKETS (10,000) socket.io clients
 * from BENCH_CLIENT_PROCESSES (4) separate processes, all subscribed to the district, then reads
 * the server's resident memory (/proc/<pid>/status) and /metrics, and times a few reports from
 * commit to the last of the 10,000 sockets (the fan-out of one issue frame to every screen).
 * Then checks that every socket hears the heartbeat, and runs BENCH_SOCKET_CYCLES (3) cycles of
 * all sockets leaving and coming back in one burst (as after a network blip), reading the RSS
 * after each leave and a full garbage collection (through the inspector): memory that grows from
 * cycle to cycle is a leak. BENCH_CPU_PROFILE=<file> writes a CPU profile of the server during the
 * first burst (`node scripts/cpuprofile-top.mjs <file>` reads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { benchDatabase, collectGarbage, freePort, profileCpu, rssMiB, sql, startServer, stopServer, withDatabase } from './bench-support';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const REPORTS = Number(process.env.BENCH_SOCKET_REPORTS ?? 5);
const CYCLES = Number(process.env.BENCH_SOCKET_CYCLES ?? 3);
/** Sockets a client process opens at once; the default, all of them, is a reconnect burst. */
const WAVE = Number(process.env.BENCH_SOCKET_WAVE ?? Math.ceil(SOCKETS / PROCESSES));
const TARGET_RSS_MIB = 400;
/** The RSS after the last leave may exceed the first by this much before it counts as a leak (V8 keeps some heap it grew into). */
const LEAK_SLACK_MIB = 32;
const PROFILE_FILE = process.env.BENCH_CPU_PROFILE;

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL!;
  const dbName = `bench_sockets_${process.pid}`;
  await sql(adminUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = withDatabase(adminUrl, dbName);
  let server: ChildProcess | undefined;
  const clients: ChildProcess[] = [];
  try {
    await prepareDatabase(benchDatabase(dbUrl), { seed: true });
    const port = await freePort();
    const inspectPort = await freePort();
    server = await startServer(dbUrl, port, {}, [`--inspect=127.0.0.1:${inspectPort}`]);
    /** RSS after a full collection: what the server holds. */
    const heldMiB = async () => {
      await collectGarbage(inspectPort);
      return rssMiB(server!.pid!);
    };
    const url = `http://127.0.0.1:${port}`;
    const idle = rssMiB(server.pid!);
    const viewer = await post<{ accessToken: string; user: { regionId: number } }>(url, '/api/v1/auth/login', {
      username: 'viewer',
      password: DEMO_PASSWORD,
    });
    const worker = await post<{ accessToken: string }>(url, '/api/v1/auth/login', { username: 'worker1', password: DEMO_PASSWORD });
    const [grid] = await sql<{ grid: number; category: number }>(
      dbUrl,
      `SELECT (SELECT grid_ids[1] FROM users WHERE username = 'worker1') AS grid,
              (SELECT id FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report ORDER BY id LIMIT 1) AS category`,
    );

    const stopProfile = PROFILE_FILE ? await profileCpu(inspectPort, PROFILE_FILE) : null;
    const started = Date.now();
    const per = Math.ceil(SOCKETS / PROCESSES);
    const lines: AsyncIterator<string>[] = [];
    for (let p = 0; p < PROCESSES; p++) {
      const child = spawn(
        process.execPath,
        [join(__dirname, 'sockets-client.js'), url, viewer.accessToken, String(viewer.user.regionId), String(per), String(WAVE)],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      clients.push(child);
      lines.push(createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    }
    const tell = (command: object) => {
      for (const c of clients) c.stdin!.write(`${JSON.stringify(command)}\n`);
    };
    const answers = <T>() => Promise.all(lines.map(async (l) => JSON.parse((await l.next()).value as string) as T));
    const readyCount = async () => (await answers<{ ready: number }>()).reduce((a, b) => a + b.ready, 0);
    const connected = await readyCount();
    const connectS = (Date.now() - started) / 1000;
    await stopProfile?.();
    await new Promise((r) => setTimeout(r, 3000));
    const loaded = rssMiB(server.pid!);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = metrics.split('\n').find((l) => l.startsWith('gridline_live_sockets_connected '));

    const fanout: number[] = [];
    for (let r = 0; r < REPORTS; r++) {
      const at = Date.now();
      const issue = await post<{ id: number }>(
        url,
        '/api/v1/issues',
        { categoryId: grid!.category, gridId: grid!.grid, description: '压测上报' },
        worker.accessToken,
      );
      tell({ cmd: 'wait', waitFor: issue.id, at });
      const results = await answers<{ got: number; ms: number }>();
      fanout.push(Math.max(...results.map((x) => x.ms)));
      if (results.some((x) => x.got === 0)) console.log('some clients missed the frame:', results);
    }
    const peak = rssMiB(server.pid!);

    tell({ cmd: 'heartbeats', ms: 6_000 });
    const beats = await answers<{ sockets: number; heartbeats: number }>();
    const heardHeartbeat = beats.reduce((a, b) => a + b.heartbeats, 0);

    const cycles: {
      admitted: number;
      burstSeconds: number;
      rssWithSocketsMiB: number;
      rssWithSocketsAfterGcMiB: number;
      rssAfterLeaveMiB: number;
    }[] = [];
    for (let c = 0; c < CYCLES; c++) {
      tell({ cmd: 'close' });
      await answers();
      await new Promise((r) => setTimeout(r, 5_000));
      const rssAfterLeaveMiB = await heldMiB();
      const t0 = Date.now();
      tell({ cmd: 'open' });
      const admitted = await readyCount();
      const burstSeconds = Math.round((Date.now() - t0) / 100) / 10;
      await new Promise((r) => setTimeout(r, 3000));
      const rssWithSocketsMiB = rssMiB(server.pid!);
      // What the open sockets themselves hold, without the burst's garbage.
      const rssWithSocketsAfterGcMiB = await heldMiB();
      cycles.push({ admitted, burstSeconds, rssWithSocketsMiB, rssWithSocketsAfterGcMiB, rssAfterLeaveMiB });
    }
    tell({ cmd: 'close' });
    await answers();
    await new Promise((r) => setTimeout(r, 5_000));
    const rssAtEnd = await heldMiB();
    const leaves = [...cycles.map((c) => c.rssAfterLeaveMiB), rssAtEnd];
    const maxWithSockets = Math.max(loaded, ...cycles.map((c) => c.rssWithSocketsMiB));
    const targets = {
      allAdmitted: connected === SOCKETS && cycles.every((c) => c.admitted === SOCKETS),
      heartbeatsFlowing: heardHeartbeat === SOCKETS,
      [`rssWithSocketsAtMost${TARGET_RSS_MIB}MiB`]: maxWithSockets <= TARGET_RSS_MIB,
      noGrowthAcrossCycles: leaves[leaves.length - 1]! - leaves[0]! <= LEAK_SLACK_MIB,
    };
    console.log(
      JSON.stringify(
        {
          sockets: connected,
          clientProcesses: PROCESSES,
          connectAndSubscribeSeconds: Math.round(connectS * 10) / 10,
          serverGauge: gauge,
          rssIdleMiB: idle,
          rssWithSocketsMiB: loaded,
          rssAfterFanoutMiB: peak,
          kibPerSocket: Math.round(((loaded - idle) * 1024) / Math.max(1, connected)),
          reportToLastSocketMs: fanout,
          socketsThatHeardAHeartbeatIn6s: heardHeartbeat,
          socketsPerClientProcessOpenedAtOnce: WAVE,
          cycles,
          rssAfterTheLastLeaveMiB: rssAtEnd,
          targets,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const c of clients) c.kill('SIGKILL');
    await stopServer(server);
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
