import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient } from '../support/api-client';
import { loadCast } from '../support/fixtures';
import { freePort } from './own-postgres';
import { reportLoad } from './report-load';

/**
 * kill -9 of the whole stack (server and its PostgreSQL, one process group) under a report load,
 * then a restart on the same data: every report the server acknowledged is in the database
 * exactly once (the load client retries unacknowledged ones with the same Idempotency-Key).
 */
const STACK = join(__dirname, 'stack.mjs');
let dataDir: string;
let uploadDir: string;
let ports: { pg: number; http: number };
let stack: ChildProcess | undefined;

function startStack(): Promise<void> {
  const child = spawn(process.execPath, [STACK, dataDir, String(ports.pg), String(ports.http), uploadDir], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not come up in 120 s:\n${output.slice(-2000)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Gridline is up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Signals the whole group, then waits for the launcher and for PostgreSQL's postmaster (it holds the data folder's lock). */
async function killStack(signal: NodeJS.Signals): Promise<void> {
  const child = stack;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const pidFile = join(dataDir, 'postmaster.pid');
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, signal);
  await exited;
  for (let i = 0; i < 200 && postmaster && alive(postmaster); i++) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridline-crash-pg-'));
  uploadDir = mkdtempSync(join(tmpdir(), 'gridline-crash-up-'));
  ports = { pg: await freePort(), http: await freePort() };
  await startStack();
}, 180_000);
afterAll(async () => {
  await killStack('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(uploadDir, { recursive: true, force: true });
}, 60_000);

test('kill -9 of server and PostgreSQL under load, restart on the same data: 0 lost, 0 duplicated', async () => {
  const baseUrl = `http://127.0.0.1:${ports.http}`;
  const api = new ApiClient(baseUrl);
  const cast = await loadCast(api);
  const load = reportLoad({
    baseUrl: () => baseUrl,
    token: cast.tokens.worker1!,
    body: { categoryId: cast.category.id, gridId: cast.gridId, description: '断电前后的上报' },
    workers: 6,
    drainMs: 60_000,
  });
  await new Promise((r) => setTimeout(r, 3000));
  const killedAt = Date.now();
  await killStack('SIGKILL');
  await startStack();
  const upAt = Date.now();
  await new Promise((r) => setTimeout(r, 2000));
  const result = await load.stop();
  const firstAckAfter = Math.min(
    ...result.seen.filter((s) => s.at > killedAt && (s.status === 201 || s.status === 200)).map((s) => s.at + s.ms),
  );
  const refusedDuringCrash = result.seen.filter((s) => s.at >= killedAt && s.at < upAt && s.status !== 201 && s.status !== 200).length;
  const other = result.seen.filter((s) => typeof s.status === 'number' && ![200, 201, 503].includes(s.status));

  const sql = new Client({ connectionString: `postgres://postgres:gridline-chaos@127.0.0.1:${ports.pg}/gridline` });
  await sql.connect();
  const { rows } = await sql.query<{ key: string; id: number; events: string }>(
    `SELECT i.idempotency_key AS key, i.id, (SELECT count(*) FROM issue_events e WHERE e.issue_id = i.id) AS events
       FROM issues i WHERE i.idempotency_key LIKE 'chaos-%'`,
  );
  await sql.end();
  const stored = new Map<string, number[]>();
  for (const r of rows) stored.set(r.key, [...(stored.get(r.key) ?? []), r.id]);
  const keys = [...result.acked.keys()];
  const lost = keys.filter((k) => !stored.get(k)?.includes(result.acked.get(k)!));
  const duplicated = [...stored.values()].filter((ids) => ids.length > 1).length;
  const withoutEvent = rows.filter((r) => Number(r.events) === 0).length;

  process.stdout.write(
    `\nkill -9 under load: ${result.seen.length} requests, ${keys.length} reports acknowledged, lost ${lost.length}, ` +
      `duplicated ${duplicated}, without audit event ${withoutEvent}, stored but never acknowledged ${rows.length - keys.length}; ` +
      `restart (kill to "up") ${upAt - killedAt} ms, kill to first acknowledged report ${firstAckAfter - killedAt} ms; ` +
      `${refusedDuringCrash} requests failed while down (retried); other answers ${JSON.stringify(other.slice(0, 5))}\n`,
  );
  expect(other).toEqual([]);
  expect(result.pending).toEqual([]);
  expect({ lost, duplicated, withoutEvent }).toEqual({ lost: [], duplicated: 0, withoutEvent: 0 });
  // A report committed just before the kill whose answer was lost is retried with its key: the replay acknowledges it.
  expect(rows.length).toBe(keys.length);
}, 300_000);
