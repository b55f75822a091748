import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { ApiClient } from '../support/api-client';
import { act, loadCast, report, type Cast } from '../support/fixtures';
import { runPrefix, templateName, urlFor, withAdmin } from '../support/test-db';
import { freePort } from './own-postgres';

/**
 * Reconnect storm: 5,000 wall sockets (two client processes) on one real server process; the
 * server is killed (kill -9: every connection drops at the same instant) and started again on
 * the same port while reports go on, and every socket reconnects by itself and resyncs with a
 * snapshot. Every client must converge to the numbers counted in the database, and the server's
 * memory must stay within its container limit (deploy/k8s/base: 1 GiB). Prints the time to
 * converge and the server's RSS peak.
 */
const SOCKETS = 5_000;
const PROCESSES = 2;
const MEMORY_LIMIT_MIB = 1024;
const MAIN = resolve(__dirname, '..', '..', 'server', 'dist', 'main.js');
const CLIENT = join(__dirname, 'storm-client.mjs');

interface Status {
  sockets: number;
  connected: number;
  numbers: Record<string, number>;
  connects: number;
  snapshots: number;
  errors: number;
  reconnected: number;
}

let database: string;
let databaseUrl: string;
let uploadDir: string;
let port: number;
let server: ChildProcess | undefined;
const clients: { child: ChildProcess; lines: AsyncIterator<string> }[] = [];
let sql: Client;

const rssMiB = (pid: number): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : 0;
  } catch {
    return 0; // the process is gone
  }
};

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      UPLOAD_DIR: uploadDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('the server did not come up in 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function kill(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function status(): Promise<Status[]> {
  for (const c of clients) c.child.stdin!.write('status\n');
  return Promise.all(clients.map(async (c) => JSON.parse((await c.lines.next()).value as string) as Status));
}

/** The wall numbers of the region, counted here with plain SQL over the issues table. */
async function truth(regionId: number): Promise<string> {
  const { rows: level } = await sql.query<{ level: string }>('SELECT level FROM regions WHERE id = $1', [regionId]);
  const column = {
    city: 'true',
    district: 'district_id = $1',
    street: 'street_id = $1',
    community: 'community_id = $1',
    grid: 'grid_id = $1',
  }[level[0]!.level]!;
  const where = column === 'true' ? 'true OR $1::int IS NULL' : column;
  const { rows } = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM issues WHERE ${where} GROUP BY status ORDER BY status`,
    [regionId],
  );
  return JSON.stringify({ stock: rows.map((r) => `${r.status}:${r.n}`), reported: rows.reduce((n, r) => n + r.n, 0) });
}

/** Waits until every socket is connected and holds the database's numbers; returns the last status. */
async function converged(regionId: number, timeoutMs: number): Promise<Status[]> {
  const until = Date.now() + timeoutMs;
  let last: Status[] = [];
  for (;;) {
    const want = await truth(regionId);
    last = await status();
    if (last.every((s) => s.connected === s.sockets && s.numbers[want] === s.sockets)) return last;
    if (Date.now() > until) {
      throw new Error(`not converged in ${timeoutMs} ms; database ${want}; clients ${JSON.stringify(last).slice(0, 3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  database = `${runPrefix()}_storm`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`));
  databaseUrl = urlFor(database);
  uploadDir = mkdtempSync(join(tmpdir(), 'gridline-storm-up-'));
  port = await freePort();
  sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  server = await startServer();
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.child.kill('SIGKILL');
  await kill(server, 'SIGTERM');
  await sql?.end();
  rmSync(uploadDir, { recursive: true, force: true });
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}, 60_000);

/** Connection failures: the request never reached the server, so sending it again cannot apply it twice. */
const NOT_CONNECTED = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED']);

/**
 * A request sent again, as a phone on a congested network does, while its connection could not
 * be opened: thousands of sockets reconnecting at once fill the listen queue for a while.
 */
async function whenConnected<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const code = ((err as Error).cause as { cause?: { code?: string } } | undefined)?.cause?.code;
      if (attempt >= 10 || code === undefined || !NOT_CONNECTED.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

test('5,000 sockets dropped at once reconnect, resync and converge to the database numbers', async () => {
  const url = `http://127.0.0.1:${port}`;
  const api = new ApiClient(url);
  const cast: Cast = await loadCast(api);
  const regionId = cast.users.viewer!.regionId!;

  const t0 = Date.now();
  for (let p = 0; p < PROCESSES; p++) {
    const child = spawn(process.execPath, [CLIENT, url, cast.tokens.viewer!, String(regionId), String(SOCKETS / PROCESSES)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    clients.push({ child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() });
  }
  const ready = await Promise.all(
    clients.map(async (c) => (JSON.parse((await c.lines.next()).value as string) as { ready: number }).ready),
  );
  expect(ready.reduce((a, b) => a + b, 0)).toBe(SOCKETS);
  const connectS = (Date.now() - t0) / 1000;

  // Live numbers move with reports before the drop.
  for (let i = 0; i < 3; i++) await report(api, cast);
  await converged(regionId, 60_000);
  const rssBefore = rssMiB(server!.pid!);

  // Every connection drops at once: the server process dies.
  const dropAt = Date.now();
  await kill(server, 'SIGKILL');
  server = await startServer();
  const upAt = Date.now();
  let rssPeak = rssMiB(server.pid!);
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(server!.pid!))), 100);
  try {
    // Writes go on while the storm of reconnections arrives.
    for (let i = 0; i < 5; i++) {
      const issue = await whenConnected(() => report(api, cast));
      if (i % 2 === 0) await whenConnected(() => act(api, cast.tokens.dispatcher!, issue, 'accept'));
    }
    const final = await converged(regionId, 90_000);
    const convergedAt = Date.now();
    const reconnected = final.reduce((n, s) => n + s.reconnected, 0);
    const snapshots = final.reduce((n, s) => n + s.snapshots, 0);
    process.stdout.write(
      `${JSON.stringify({
        sockets: SOCKETS,
        clientProcesses: PROCESSES,
        connectAndSubscribeS: connectS,
        restartS: (upAt - dropAt) / 1000,
        convergeAfterDropS: (convergedAt - dropAt) / 1000,
        convergeAfterServerUpS: (convergedAt - upAt) / 1000,
        serverRssBeforeDropMiB: rssBefore,
        serverRssPeakDuringStormMiB: rssPeak,
        reconnected,
        snapshots,
        loadAverage1m: loadavg()[0],
      })}\n`,
    );
    expect(reconnected).toBe(SOCKETS);
    expect(rssPeak).toBeLessThan(MEMORY_LIMIT_MIB);
  } finally {
    clearInterval(sampler);
  }
}, 300_000);
