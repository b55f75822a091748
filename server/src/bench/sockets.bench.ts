/**
 * `npm run bench:sockets`: how many wall sockets one server process holds and what they cost.
 * Starts the built server on a seeded database, opens BENCH_SOCKETS (10,000) socket.io clients
 * from BENCH_CLIENT_PROCESSES (4) separate processes, all subscribed to the district, then reads
 * the server's resident memory (/proc/<pid>/status) and /metrics, and times a few reports from
 * commit to the last of the 10,000 sockets (the fan-out of one issue frame to every screen).
 * Then checks that every socket hears the heartbeat, and runs BENCH_SOCKET_CYCLES (3) cycles of
 * all sockets leaving and coming back in one burst (as after a network blip), reading the RSS
 * after each leave and a full garbage collection (through the inspector): memory that grows from
 * cycle to cycle is a leak. Before all that, the same burst against a bare socket.io server
 * (sockets-reference.ts, BENCH_SOCKET_REFERENCE_BURSTS times): the burst times are printed as a
 * ratio to it, the part of a burst that is the server's own. BENCH_CPU_PROFILE=<file> writes a CPU profile of the server during the
 * first burst (`node scripts/cpuprofile-top.mjs <file>` reads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import {
  benchDatabase,
  collectGarbage,
  freePort,
  profileCpu,
  rssMiB,
  sql,
  startServer,
  stopServer,
  withBenchDatabase,
} from './bench-support';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const REPORTS = Number(process.env.BENCH_SOCKET_REPORTS ?? 5);
const CYCLES = Number(process.env.BENCH_SOCKET_CYCLES ?? 3);
/** Bursts against the bare socket.io reference, before the real server's. */
const REFERENCE_BURSTS = Number(process.env.BENCH_SOCKET_REFERENCE_BURSTS ?? 2);
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
  await withBenchDatabase('sockets', async (dbUrl) => {
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

      const reference = await referenceBursts(url, viewer.accessToken, viewer.user.regionId, clients);

      const stopProfile = PROFILE_FILE ? await profileCpu(inspectPort, PROFILE_FILE) : null;
      const started = Date.now();
      const { tell, answers, readyCount } = spawnClients(url, viewer.accessToken, viewer.user.regionId, clients);
      const connected = await readyCount();
      const connectS = secondsSince(started);
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
        const burstSeconds = secondsSince(t0);
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
      const burstTimes = [connectS, ...cycles.map((c) => c.burstSeconds)];
      const maxWithSockets = Math.max(loaded, ...cycles.map((c) => c.rssWithSocketsMiB));
      const targets = {
        allAdmitted: connected === SOCKETS && cycles.every((c) => c.admitted === SOCKETS),
        // every admitted socket hears them (the sockets not admitted count against allAdmitted)
        heartbeatsFlowing: heardHeartbeat === connected,
        [`rssWithSocketsAtMost${TARGET_RSS_MIB}MiB`]: maxWithSockets <= TARGET_RSS_MIB,
        noGrowthAcrossCycles: leaves[leaves.length - 1]! - leaves[0]! <= LEAK_SLACK_MIB,
      };
      console.log(
        JSON.stringify(
          {
            sockets: connected,
            clientProcesses: PROCESSES,
            connectAndSubscribeSeconds: connectS,
            serverGauge: gauge,
            rssIdleMiB: idle,
            rssWithSocketsMiB: loaded,
            rssAfterFanoutMiB: peak,
            kibPerSocket: Math.round(((loaded - idle) * 1024) / Math.max(1, connected)),
            reportToLastSocketMs: fanout,
            socketsThatHeardAHeartbeatIn6s: heardHeartbeat,
            socketsPerClientProcessOpenedAtOnce: WAVE,
            cycles,
            referenceBursts: reference,
            burstSecondsOverReference: Math.round((mean(burstTimes) / mean(reference.map((r) => r.burstSeconds))) * 100) / 100,
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
    }
  });
}

/** PROCESSES client processes (added to `children`), each opening its share of SOCKETS against `url` at once. */
function spawnClients(url: string, token: string, regionId: number, children: ChildProcess[]) {
  const per = Math.ceil(SOCKETS / PROCESSES);
  const lines: AsyncIterator<string>[] = [];
  const own: ChildProcess[] = [];
  for (let p = 0; p < PROCESSES; p++) {
    const child = spawn(process.execPath, [join(__dirname, 'sockets-client.js'), url, token, String(regionId), String(per), String(WAVE)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    own.push(child);
    children.push(child);
    lines.push(createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
  }
  const tell = (command: object) => {
    for (const c of own) c.stdin!.write(`${JSON.stringify(command)}\n`);
  };
  const answers = <T>() => Promise.all(lines.map(async (l) => JSON.parse((await l.next()).value as string) as T));
  const readyCount = async () => (await answers<{ ready: number }>()).reduce((a, b) => a + b.ready, 0);
  return { own, tell, answers, readyCount };
}

/**
 * The same burst, from the same client processes, against a bare socket.io server that acks each
 * subscribe with the real server's snapshot (sockets-reference.ts): what a burst costs this
 * machine before the app does anything. Runs while the real server is idle.
 */
async function referenceBursts(url: string, token: string, regionId: number, children: ChildProcess[]) {
  const snapshotFile = join(tmpdir(), `gridline-bench-snapshot-${process.pid}.json`);
  writeFileSync(snapshotFile, JSON.stringify(await wallSnapshot(url, token, regionId)));
  const port = await freePort();
  const server = spawn(process.execPath, [join(__dirname, 'sockets-reference.js'), String(port), snapshotFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(server);
  try {
    await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next();
    const bursts: { admitted: number; burstSeconds: number }[] = [];
    let t0 = Date.now();
    const clients = spawnClients(`http://127.0.0.1:${port}`, token, regionId, children);
    for (let b = 0; b < REFERENCE_BURSTS; b++) {
      if (b > 0) {
        clients.tell({ cmd: 'close' });
        await clients.answers();
        await new Promise((r) => setTimeout(r, 5_000));
        t0 = Date.now();
        clients.tell({ cmd: 'open' });
      }
      const admitted = await clients.readyCount();
      bursts.push({ admitted, burstSeconds: secondsSince(t0) });
    }
    for (const c of clients.own) c.kill('SIGKILL');
    return bursts;
  } finally {
    server.kill('SIGKILL');
    rmSync(snapshotFile, { force: true });
  }
}

/** The subscribe ack's snapshot of `regionId`, as one wall gets it. */
function wallSnapshot(url: string, token: string, regionId: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect_error', reject);
    socket.on('connect', () => {
      socket.emit('subscribe', { regionId }, (reply: { ok: boolean; snapshot?: unknown }) => {
        socket.disconnect();
        if (reply.ok) resolve(reply.snapshot);
        else reject(new Error(`subscribe refused: ${JSON.stringify(reply)}`));
      });
    });
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Seconds since a Date.now() instant, to a tenth (how every burst time is printed). */
function secondsSince(t0: number): number {
  return Math.round((Date.now() - t0) / 100) / 10;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
