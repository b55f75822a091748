import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const MAIN = resolve(__dirname, '..', '..', 'server', 'dist', 'main.js');
const running = new Set<ChildProcess>();
// Whatever happens to the test, no server outlives the Jest worker.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ServerProcess {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The compiled server (`server/dist/main.js`, built by `npm test`) as a real child process on
 * 127.0.0.1 and a free port. `env` needs at least DATABASE_URL; the rest defaults to a quiet
 * test instance without demo seeding. Resolves once it listens; stop() ends it (SIGTERM, then SIGKILL).
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  exited.then(
    () => running.delete(child),
    () => undefined,
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => fail(new Error('the server did not start within 60 s')), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${err.message}\n--- server output ---\n${output.slice(-4000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"msg":"Gridline is up","url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolveStart({ baseUrl: url, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => fail(new Error(`the server exited early (code ${code}, signal ${signal})`)));
  });
}
