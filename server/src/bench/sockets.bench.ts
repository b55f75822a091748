/**
 * `npm run bench:sockets`: how many wall sockets one server process holds and what they cost.
 * Starts the built server on a seeded database, opens BENCH_SOCKETS (10,000) socket.io clients
 * from BENCH_CLIENT_PROCESSES (4) separate processes, all subscribed to the district, then reads
 * the server's resident memory (/proc/<pid>/status) and /metrics, and times a few reports from
 * commit to the last of the 10,000 sockets (the fan-out of one issue frame to every screen).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_PASSWORD, prepareDatabase } from '../database/prepare-database';
import { benchDatabase, freePort, rssMiB, sql, startServer, stopServer, withDatabase } from './bench-support';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const REPORTS = Number(process.env.BENCH_SOCKET_REPORTS ?? 5);


async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL!;
  const dbName = `bench_sockets_${process.pid}`;
  await sql(adminUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = withDatabase(adminUrl, dbName);
  let server: ChildProcess | undefined;
  const clients: ChildProcess[] = [];
  try {
    await prepareDatabase(benchDatabase(dbUrl), { seed: true });
    const port = await freePort();
    server = await startServer(dbUrl, port);
    const url = `http://127.0.0.1:${port}`;
    const idle = rssMiB(server.pid!);
    const viewer = await post<{ accessToken: string; user: { regionId: number } }>(url, '/api/v1/auth/login', {
      username: 'viewer',
      password: DEMO_PASSWORD,
    });
    const worker = await post<{ accessToken: string }>(url, '/api/v1/auth/login', { username: 'worker1', password: DEMO_PASSWORD });
    const [grid] = await sql<{ grid: number; category: number }>(
      dbUrl,
      `SELECT (SELECT grid_ids[1] FROM users WHERE username = 'worker1') AS grid,
              (SELECT id FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report ORDER BY id LIMIT 1) AS category`,
    );

    const started = Date.now();
    const per = Math.ceil(SOCKETS / PROCESSES);
    const lines: AsyncIterator<string>[] = [];
    for (let p = 0; p < PROCESSES; p++) {
      const child = spawn(
        process.execPath,
        [join(__dirname, 'sockets-client.js'), url, viewer.accessToken, String(viewer.user.regionId), String(per)],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      clients.push(child);
      lines.push(createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    }
    const ready = await Promise.all(lines.map(async (l) => (JSON.parse((await l.next()).value as string) as { ready: number }).ready));
    const connected = ready.reduce((a, b) => a + b, 0);
    const connectS = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const loaded = rssMiB(server.pid!);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = metrics.split('\n').find((l) => l.startsWith('gridline_live_sockets_connected '));

    const fanout: number[] = [];
    for (let r = 0; r < REPORTS; r++) {
      const at = Date.now();
      const issue = await post<{ id: number }>(
        url,
        '/api/v1/issues',
        { categoryId: grid!.category, gridId: grid!.grid, description: '压测上报' },
        worker.accessToken,
      );
      for (const c of clients) c.stdin!.write(`${JSON.stringify({ waitFor: issue.id, at })}\n`);
      const results = await Promise.all(
        lines.map(async (l) => JSON.parse((await l.next()).value as string) as { got: number; ms: number }),
      );
      fanout.push(Math.max(...results.map((x) => x.ms)));
      if (results.some((x) => x.got === 0)) console.log('some clients missed the frame:', results);
    }
    const peak = rssMiB(server.pid!);
    console.log(
      JSON.stringify(
        {
          sockets: connected,
          clientProcesses: PROCESSES,
          connectAndSubscribeSeconds: Math.round(connectS * 10) / 10,
          serverGauge: gauge,
          rssIdleMiB: idle,
          rssWithSocketsMiB: loaded,
          rssAfterFanoutMiB: peak,
          kibPerSocket: Math.round(((loaded - idle) * 1024) / Math.max(1, connected)),
          reportToLastSocketMs: fanout,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const c of clients) c.kill('SIGKILL');
    await stopServer(server);
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
