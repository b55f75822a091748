import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(__dirname, '..', '..', 'server', 'dist', 'main.js');
const children = new Set<ChildProcess>();
// Never leave a server behind, even when a test fails or Jest exits early.
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * Starts the compiled server (`npm run build -w server` first) as its own Node process on
 * 127.0.0.1 and a free port, and resolves once it logs "Gridline is up".
 */
export interface ServerProcessHandle {
  baseUrl: string;
  /** The child process, for tests that signal or kill it themselves. */
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcessHandle> {
  const uploadDir = mkdtempSync(join(tmpdir(), 'gridline-proc-'));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'log',
      UPLOAD_DIR: uploadDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
    rmSync(uploadDir, { recursive: true, force: true });
  };
  try {
    const baseUrl = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /^(?=.*"msg":"Gridline is up").*"url":"(http:\/\/127\.0\.0\.1:\d+)"/m.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    });
    return { baseUrl, child, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
