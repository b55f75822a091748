import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const WITH_DB = resolve(ROOT, 'scripts', 'with-db.mjs');
const MAIN = resolve(ROOT, 'server', 'dist', 'main.js');
const groups = new Set<number>();
// Never leave a server or its PostgreSQL behind, even when a test fails or Jest exits early.
process.once('exit', () => {
  for (const pgid of groups) kill(pgid, 'SIGKILL');
});

function kill(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

export interface KillableServer {
  baseUrl: string;
  /** SIGKILL to the whole process group: the server and its embedded PostgreSQL die at once, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM: the server stops, then its PostgreSQL, cleanly. */
  stop(): Promise<void>;
  output(): string;
}

/**
 * The compiled server (`npm run build` first) on its own embedded PostgreSQL whose data lives in
 * `dataDir`, started in a process group of its own (with-db.mjs → PostgreSQL and the server), so
 * a test can kill everything with one SIGKILL and start again on the same data.
 */
export async function startKillableServer(dataDir: string, env: Record<string, string>, timeoutMs = 180_000): Promise<KillableServer> {
  const child: ChildProcess = spawn(process.execPath, [WITH_DB, `--data-dir=${dataDir}`, '--', process.execPath, MAIN], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No DATABASE_URL: with-db starts the embedded PostgreSQL on dataDir.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'log', ...env },
  });
  const pgid = child.pid!;
  groups.add(pgid);
  let output = '';
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const waitGone = async () => {
    // The leader's exit is not the group's: wait until no process of the group is left.
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(-pgid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const server: KillableServer = {
    baseUrl: '',
    output: () => output,
    async kill9() {
      kill(pgid, 'SIGKILL');
      await exited;
      await waitGone();
      groups.delete(pgid);
    },
    async stop() {
      kill(pgid, 'SIGTERM');
      const timer = setTimeout(() => kill(pgid, 'SIGKILL'), 15_000);
      await exited;
      await waitGone();
      clearTimeout(timer);
      groups.delete(pgid);
    },
  };
  try {
    server.baseUrl = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.length > 200_000) output = output.slice(-100_000);
        const m = /^(?=.*"msg":"Gridline is up").*"url":"(http:\/\/127\.0\.0\.1:\d+)"/m.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`server exited before it was up:\n${output.slice(-3000)}`));
      });
    });
    return server;
  } catch (err) {
    await server.kill9();
    throw err;
  }
}
