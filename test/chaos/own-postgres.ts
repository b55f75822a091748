import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../../server/src/database/prepare-database';
import { DEFAULT_TIME_ZONE } from '../../server/src/config/app-config';

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** A PostgreSQL cluster of the test's own (not the run's shared one), so the test can stop and start it. */
export interface OwnPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function command(child: ChildProcess, cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ok: boolean; cmd: string; error?: string }) => {
      if (m.cmd !== cmd) return;
      child.off('message', onMessage);
      if (m.ok) resolve();
      else reject(new Error(`pg-cluster ${cmd}: ${m.error}`));
    };
    child.on('message', onMessage);
    child.send({ cmd });
  });
}

/** Migrated and seeded with the demo district (no history), on a free port. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridline-chaos-pg-'));
  const port = await freePort();
  const child = fork(join(__dirname, 'pg-cluster.mjs'), [dataDir, String(port)], { stdio: 'ignore' });
  await command(child, 'init');
  const url = `postgres://postgres:gridline-chaos@127.0.0.1:${port}/gridline`;
  await prepareDatabase({ databaseUrl: url, env: 'test', timeZone: DEFAULT_TIME_ZONE }, { seed: true, historyIssues: 0 });
  return {
    url,
    dataDir,
    stop: () => command(child, 'stop'),
    start: () => command(child, 'start'),
    destroy: () => command(child, 'destroy'),
  };
}
