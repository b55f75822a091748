import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  type IssueFrame,
  type LiveClientToServerEvents,
  type LiveServerToClientEvents,
  type WallStats,
} from '@gridline/shared';
import { startServerProcess, type ServerProcessHandle } from '../support/server-process';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A redis-server of the test's own on a free port, nothing on disk. */
export async function startRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await until(
    () =>
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG',
    'redis-server',
    10_000,
  );
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/**
 * nginx of the test's own (prefix in a temporary folder, no daemon, one process) in front of the instances:
 * sticky by the full client address (hash consistent; clients pick 127.0.0.x source addresses to
 * spread over the instances), websocket upgrade, the next instance on a refused connection.
 */
export async function startNginx(upstreamPorts: number[]): Promise<{ url: string; port: number; stop(): void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gridline-nginx-'));
  for (const d of ['logs', 'tmp']) mkdirSync(join(dir, d));
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'tmp'), 0o777);
  const root = process.getuid?.() === 0;
  const conf = `
${root ? 'user root;' : ''}
# one process, no master and worker: stop()'s SIGKILL then ends all of it (a killed master left its worker running)
master_process off;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream gridline {
    hash $remote_addr consistent;
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
  }
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  server {
    listen 127.0.0.1:${port};
    location /socket.io/ {
      proxy_pass http://gridline;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Request-Id $request_id;
      proxy_read_timeout 75s;
      proxy_connect_timeout 2s;
    }
    location / {
      proxy_pass http://gridline;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Request-Id $request_id;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const binary = spawnSync('nginx', ['-v']).status === 0 ? 'nginx' : '/usr/sbin/nginx';
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      return (await httpStatus(`http://127.0.0.1:${port}/health/live`).catch(() => 0)) === 200;
    },
    'nginx',
    10_000,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

/** One JSON request from a chosen loopback source address (so nginx's hash picks a chosen instance). */
export function requestJson<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; localAddress?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse<T>> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string | number> = { ...opts.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const req = httpRequest(new URL(path, baseUrl), { method, headers, localAddress: opts.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          /* keep text */
        }
        resolve({ status: res.statusCode ?? 0, body: body as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(payload);
  });
}

type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

/**
 * A wall as the dashboard runs it: subscribes on every (re)connect, applies a stats frame only
 * when it chains from the version it holds, subscribes again on a gap. Reconnection on, through
 * nginx, from a fixed source address.
 */
export class Wall {
  stats: WallStats | null = null;
  readonly issueFrames: IssueFrame[] = [];
  connects = 0;
  disconnects = 0;
  private constructor(
    readonly socket: LiveSocket,
    readonly regionId: number,
    readonly localAddress: string,
  ) {
    socket.on('connect', () => {
      this.connects++;
      void this.subscribe();
    });
    socket.on('disconnect', () => this.disconnects++);
    socket.on('stats', (frame) => {
      if (frame.regionId !== this.regionId) return;
      if (this.stats && frame.previousVersion === this.stats.version) this.stats = frame;
      else if (!this.stats || frame.version > this.stats.version) void this.subscribe();
    });
    socket.on('issues', (frames) => this.issueFrames.push(...frames));
  }

  static open(baseUrl: string, token: string, regionId: number, localAddress: string): Wall {
    const socket: LiveSocket = io(`${baseUrl}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      localAddress,
    } as Parameters<typeof io>[1]);
    return new Wall(socket, regionId, localAddress);
  }

  private async subscribe(): Promise<void> {
    try {
      const ack = await this.socket.timeout(10_000).emitWithAck('subscribe', { regionId: this.regionId });
      if (ack.ok) this.stats = ack.snapshot;
    } catch {
      /* the next connect subscribes again */
    }
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The three instances: real server processes on fixed ports, restartable on the same port. */
export class Instances {
  readonly procs: (ServerProcessHandle | null)[];
  constructor(
    readonly ports: number[],
    private readonly env: Record<string, string>,
  ) {
    this.procs = ports.map(() => null);
  }

  async start(i: number): Promise<ServerProcessHandle> {
    const proc = await startServerProcess({ ...this.env, PORT: String(this.ports[i]) });
    this.procs[i] = proc;
    return proc;
  }

  /** kill -9: no drain, no goodbye. */
  async kill(i: number): Promise<void> {
    const proc = this.procs[i];
    if (!proc) return;
    const exited = new Promise((r) => proc.child.once('exit', r));
    proc.child.kill('SIGKILL');
    await exited;
    await proc.stop();
    this.procs[i] = null;
  }

  /** SIGTERM and wait for the graceful exit; returns its exit code. */
  async terminate(i: number): Promise<number | null> {
    const proc = this.procs[i];
    if (!proc) return null;
    const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
    proc.child.kill('SIGTERM');
    const code = await exited;
    await proc.stop();
    this.procs[i] = null;
    return code;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.map(async (p) => p?.stop()));
  }
}
