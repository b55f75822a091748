import { Client } from 'pg';
import type { LoginResult, UserView } from '@gridline/shared';
import { ApiClient } from './support/api-client';
import { LiveClient } from './support/live-client';
import { startServerProcess } from './support/server-process';

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;
import { runPrefix, templateName, urlFor, withAdmin } from './support/test-db';

/**
 * Two server processes on one database share frames through the socket.io PostgreSQL adapter:
 * a report posted to instance A reaches a wall connected to instance B, issue frame and stats
 * frame, whichever instance applied the batch.
 */
const database = `${runPrefix()}_cluster`;
let a: ServerProcess | undefined;
let b: ServerProcess | undefined;
let wall: LiveClient | undefined;
let sql: Client;

beforeAll(async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`));
  sql = new Client({ connectionString: urlFor(database) });
  await sql.connect();
  [a, b] = await Promise.all([
    startServerProcess({ DATABASE_URL: urlFor(database) }),
    startServerProcess({ DATABASE_URL: urlFor(database) }),
  ]);
});
afterAll(async () => {
  wall?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await sql?.end();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
});

async function login(api: ApiClient, username: string): Promise<LoginResult> {
  const res = await api.post<LoginResult>('/api/v1/auth/login', { username, password: 'demo1234' });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.body;
}

it('a report on instance A reaches a wall on instance B', async () => {
  const onA = new ApiClient(a!.baseUrl);
  const onB = new ApiClient(b!.baseUrl);
  const viewer = await login(onB, 'viewer');
  const worker = await login(onA, 'worker1');
  const me = (await onA.get<UserView>('/api/v1/me', worker.accessToken)).body;
  const { rows } = await sql.query<{ id: number }>(
    `SELECT id FROM categories WHERE parent_id IS NOT NULL AND NOT photo_required_on_report LIMIT 1`,
  );

  wall = await LiveClient.connect(b!.baseUrl, viewer.accessToken);
  const snap = await wall.snapshot(viewer.user.regionId!);

  const res = await onA.post<{ id: number }>(
    '/api/v1/issues',
    { categoryId: rows[0]!.id, gridId: me.gridIds[0], title: '跨实例上报', description: '实例A上报，实例B大屏可见' },
    worker.accessToken,
  );
  expect(res.status).toBe(201);
  const frame = await wall.until(() => wall!.issues.find((i) => i.frame.issueId === res.body.id)?.frame, 'the issue frame on B', 30_000);
  expect(frame.title).toBe('跨实例上报');
  const stats = await wall.until(
    () => wall!.statsOf(snap.regionId).find((s) => s.total.reported === snap.total.reported + 1),
    'the stats frame on B',
    30_000,
  );
  expect(stats.previousVersion).toBe(snap.version);
  const { rows: count } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM issues WHERE district_id = $1', [snap.regionId]);
  expect(stats.total.reported).toBe(count[0]!.n);
});
