import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
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

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
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
