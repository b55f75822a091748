import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Client } from 'pg';
import type { LoginResult, UserView } from '@gridline/shared';
import { ApiClient } from './support/api-client';
import { LiveClient } from './support/live-client';
import { startServerProcess } from './support/server-process';
import { runPrefix, templateName, urlFor, withAdmin } from './support/test-db';

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;

/**
 * Two server processes on one database share frames through the socket.io adapter — PostgreSQL
 * by default, Redis Streams when REDIS_URL is set (Debian's `redis-server`, installed by
 * scripts/ensure-test-tools.mjs; this test starts its own on a free port):
 * a report posted to instance A reaches a wall connected to instance B, issue frame and stats
 * frame, whichever instance applied the batch.
 */
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function database(name: string): Promise<string> {
  const db = `${runPrefix()}_${name}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${db}" TEMPLATE "${templateName()}"`));
  cleanups.push(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`)));
  return urlFor(db);
}

async function login(api: ApiClient, username: string): Promise<LoginResult> {
  const res = await api.post<LoginResult>('/api/v1/auth/login', { username, password: 'demo1234' });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.body;
}

async function reportOnAShowsOnB(env: Record<string, string>): Promise<void> {
  const servers: ServerProcess[] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  for (const s of servers) cleanups.push(() => s.stop());
  const [a, b] = servers as [ServerProcess, ServerProcess];
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  cleanups.push(() => db.end());

  const onA = new ApiClient(a.baseUrl);
  const onB = new ApiClient(b.baseUrl);
  const viewer = await login(onB, 'viewer');
  const worker = await login(onA, 'worker1');
  const me = (await onA.get<UserView>('/api/v1/me', worker.accessToken)).body;
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report LIMIT 1`,
  );

  const wall = await LiveClient.connect(b.baseUrl, viewer.accessToken);
  cleanups.push(async () => wall.close());
  const snap = await wall.snapshot(viewer.user.regionId!);

  const res = await onA.post<{ id: number }>(
    '/api/v1/issues',
    { categoryId: rows[0]!.id, gridId: me.gridIds[0], title: '跨实例上报', description: '实例A上报，实例B大屏可见' },
    worker.accessToken,
  );
  expect(res.status).toBe(201);
  const frame = await wall.until(() => wall.issues.find((i) => i.frame.issueId === res.body.id)?.frame, 'the issue frame on B', 30_000);
  expect(frame.title).toBe('跨实例上报');
  const stats = await wall.until(
    () => wall.statsOf(snap.regionId).find((s) => s.total.reported === snap.total.reported + 1),
    'the stats frame on B',
    30_000,
  );
  expect(stats.previousVersion).toBe(snap.version);
  const { rows: count } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM issues WHERE district_id = $1', [snap.regionId]);
  expect(stats.total.reported).toBe(count[0]!.n);
}

it('PostgreSQL adapter: a report on instance A reaches a wall on instance B', async () => {
  await reportOnAShowsOnB({ DATABASE_URL: await database('cluster_pg') });
}, 150_000);

it('Redis Streams adapter (REDIS_URL): a report on instance A reaches a wall on instance B', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as { port: number };
      srv.close(() => resolve(p));
    });
  });
  const redis: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  cleanups.push(async () => redis.kill('SIGKILL'));
  for (
    let i = 0;
    spawnSync('redis-cli', ['-p', String(port), 'ping'])
      .stdout?.toString()
      .trim() !== 'PONG';
    i++
  ) {
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  await reportOnAShowsOnB({ DATABASE_URL: await database('cluster_redis'), REDIS_URL: `redis://127.0.0.1:${port}` });
}, 150_000);
