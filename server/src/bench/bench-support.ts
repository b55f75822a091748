import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, type ClientBase } from 'pg';
import WebSocket from 'ws';
import { loadConfig, type AppConfig } from '../config/app-config';

/** Small helpers shared by the live bench's phases (server process, databases, percentiles). */

/** What prepareDatabase needs for a bench database: the server's TIME_ZONE as it will read it (startServer passes the environment on). */
export function benchDatabase(dbUrl: string): Pick<AppConfig, 'databaseUrl' | 'env' | 'timeZone'> {
  const { timeZone } = loadConfig({ ...process.env, DATABASE_URL: dbUrl, NODE_ENV: 'development' });
  return { databaseUrl: dbUrl, env: 'development', timeZone };
}

/**
 * The Node options the image starts the server with (deploy/Dockerfile's NODE_OPTIONS: its heap
 * budget), read from the Dockerfile itself so that the benches measure the server as it ships.
 */
export function deployedNodeOptions(): string {
  const dockerfile = readFileSync(join(__dirname, '..', '..', '..', 'deploy', 'Dockerfile'), 'utf8');
  const options = /^\s*(?:ENV\s+)?NODE_OPTIONS=(\S+)/m.exec(dockerfile)?.[1];
  if (!options) throw new Error('deploy/Dockerfile sets no NODE_OPTIONS');
  return options;
}

/**
 * The real server as its own process, with the image's Node options after the caller's own (a
 * `--require` of scripts/count-queries.cjs reaches the server too); resolves once /health answers.
 */
export function startServer(
  dbUrl: string,
  port: number,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, deployedNodeOptions()].filter(Boolean).join(' '),
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
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

export async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * Runs a set-based insert of rows `$1..$2` in batches of 200,000 (a million rows in one statement
 * would hold them all in memory), printing progress as `label: done / total what`, then VACUUM
 * ANALYZEs `tables` so that the bench plans against their real size. The benches' synthetic data.
 */
export async function insertInBatches(
  c: ClientBase,
  label: string,
  what: string,
  total: number,
  statement: string,
  tables: readonly string[],
): Promise<void> {
  const t0 = Date.now();
  const batch = 200_000;
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    await c.query(statement, [from, to]);
    process.stdout.write(`\r${label}: ${to.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ${what}`);
  }
  for (const table of tables) await c.query(`VACUUM ANALYZE ${table}`);
  console.log(` (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Runs `bench` on a database of its own, created on the server DATABASE_URL names
 * (`scripts/with-db.mjs`) and dropped afterwards, however the bench ends. `name` is the bench's
 * (`npm run bench:<name>`); the database is `gridline_bench_<name>_<pid>`.
 */
export async function withBenchDatabase<T>(name: string, bench: (dbUrl: string) => Promise<T>): Promise<T> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error(`DATABASE_URL is unset: run with \`npm run bench:${name}\``);
  const dbName = `gridline_bench_${name.replaceAll('-', '_')}_${process.pid}`;
  await sql(adminUrl, `CREATE DATABASE ${dbName}`);
  try {
    return await bench(withDatabase(adminUrl, dbName));
  } finally {
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const fmt = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
}

/** A process's resident memory (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/**
 * A DevTools protocol session with a process started with `--inspect=127.0.0.1:<port>`: the benches
 * use it to collect garbage before reading memory, and to profile the CPU of a measured window only.
 */
export async function inspectorSession(inspectPort: number) {
  const [target] = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(target!.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  let nextId = 0;
  const send = <T = unknown>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (result) => resolve(result as T));
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** A full garbage collection: memory read after it is what the process still holds, not garbage V8 has not yet collected. */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const session = await inspectorSession(inspectPort);
  await session.send('HeapProfiler.collectGarbage');
  session.close();
}

/** Starts the CPU profiler; the returned function stops it and writes the profile (a .cpuprofile file). */
export async function profileCpu(inspectPort: number, file: string): Promise<() => Promise<void>> {
  const session = await inspectorSession(inspectPort);
  await session.send('Profiler.enable');
  await session.send('Profiler.start');
  return async () => {
    const { profile } = await session.send<{ profile: unknown }>('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.close();
  };
}

/**
 * An open loop at a steady rate: request k is due at start + k / rate and is sent then, whatever
 * the earlier ones are doing (at most `maxInFlight` at once; a send over the cap is counted as
 * skipped). Latency counts from the due time, so a late send counts against the server instead
 * of being hidden (no coordinated omission). autocannon's `overallRate` is not this: each
 * connection sends its share of a second back to back and then waits for the next second, so
 * its latencies are those of a burst at full speed.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  send: (k: number) => Promise<boolean>,
  maxInFlight = 256,
): Promise<{ sent: number; ok: number; errors: number; skipped: number; p50: number; p99: number }> {
  const total = Math.round(rate * seconds);
  const start = performance.now() + 20;
  const latencies: number[] = [];
  let inFlight = 0;
  let errors = 0;
  let skipped = 0;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    pending.push(
      send(k)
        .then(
          (ok) => (ok ? void latencies.push(performance.now() - due) : void errors++),
          () => void errors++,
        )
        .finally(() => inFlight--),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { sent: total - skipped, ok: latencies.length, errors, skipped, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** CPU ticks (1/100 s) of a process, user and system. */
function processTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy CPU ticks of the whole machine (all but idle and iowait). */
function machineTicks(): { busy: number; all: number } {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = v.map(Number);
  const all = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - n[3]! - n[4]!, all };
}

/** A measured window's CPU per request, ms, and the share of the machine's cores that were busy. */
export interface CpuPerRequest {
  server: number;
  generator: number;
  rest: number;
  busyShare: number;
}

/**
 * Where a measured window's CPU went, per request: the server processes, this process (the load
 * generator: autocannon or the raw `pg` clients) and the rest of the machine (PostgreSQL, mostly).
 * Linux only (/proc); the caller prints nothing when it is missing.
 */
export function cpuSplit(serverPids: number[]): (requests: number) => CpuPerRequest | null {
  if (!existsSync('/proc/stat')) return () => null;
  const ticksToMs = 10;
  const m0 = machineTicks();
  const s0 = serverPids.reduce((a, pid) => a + processTicks(pid), 0);
  const g0 = process.cpuUsage();
  return (requests) => {
    const m1 = machineTicks();
    const server = (serverPids.reduce((a, pid) => a + processTicks(pid), 0) - s0) * ticksToMs;
    const g = process.cpuUsage(g0);
    const generator = (g.user + g.system) / 1000;
    const busy = (m1.busy - m0.busy) * ticksToMs;
    const per = (ms: number) => ms / Math.max(1, requests);
    return {
      server: per(server),
      generator: per(generator),
      rest: per(Math.max(0, busy - server - generator)),
      busyShare: (m1.busy - m0.busy) / Math.max(1, m1.all - m0.all),
    };
  };
}
